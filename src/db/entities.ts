import { Article, ArticleInstitution, ArticlePerson, ArticleTag } from "../modules/article/article.entity";
import { ApiToken } from "../modules/auth/auth.entity";
import { Comment } from "../modules/comment/comment.entity";
import { Accreditation, Institution } from "../modules/institution/institution.entity";
import { Person, Position } from "../modules/person/person.entity";
import { Quote } from "../modules/quote/quote.entity";
import { Tag } from "../modules/tag/tag.entity";
import { EventLogState, EventRecord } from "../events/event.entity";
import { SlugAlias } from "./slug-alias.entity";

/** Every entity of the store, for the data sources and the migration CLI. */
export const entities = [Article, ArticleInstitution, ArticlePerson, ArticleTag, Tag, Institution, Accreditation, Person, Position, Quote, Comment, ApiToken, SlugAlias, EventRecord, EventLogState];
