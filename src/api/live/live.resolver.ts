import { Args, Ctx, Query, Resolver, Root, Subscription } from "type-graphql";
import type { SubscribeResolverData } from "type-graphql";
import type { Viewer } from "../../kernel/viewer";
import type { Context } from "../context";
import type { ArticleLogEvent, CommentLogEvent } from "../../events/log-event";
import { storyOfEvent } from "./event-shares";
import { commentFromSnapshot } from "./event-story";
import { ArticleSubscriptionArgs, CommentSubscriptionArgs } from "./live.inputs";
import { toEventCursor } from "../../services/live.service";
import { ArticleEvent, ArticleEventType, CommentEvent } from "./live.types";

type SubscribeData<A> = SubscribeResolverData<unknown, A, Context>;

const STORY_EVENTS = [ArticleEventType.PUBLISHED, ArticleEventType.UPDATED, ArticleEventType.UNPUBLISHED];

function toArticleEvent(event: ArticleLogEvent): ArticleEvent {
  return { cursor: toEventCursor(event.seq), type: ArticleEventType[event.type], article: storyOfEvent(event).article };
}

@Resolver()
export class LiveResolver {
  // Synchronous, from memory: graphql-js calls a query's resolvers in selection order before any
  // of them awaits, so with this field first a list read in the same query is never older than
  // the cursor (an event in both is applied twice, which a reader keyed by id does not notice).
  @Query(() => String, {
    description:
      "The cursor of the newest event this server has delivered. Asked first in the same query as a list (e.g. `{ liveCursor articles { … } }`), it is never newer than the list: subscribing with it as `after` misses nothing that came after the list, though it may repeat a change the list already shows.",
  })
  liveCursor(@Ctx() ctx: Context): string {
    return toEventCursor(ctx.services.live.head);
  }

  @Subscription(() => ArticleEvent, {
    description: "Newly published stories (also scheduled ones when they go live). With `after`, first replays what was missed.",
    subscribe: ({ args, context }: SubscribeData<ArticleSubscriptionArgs>) =>
      context.services.live.feed(context, args.after, { topic: "article", match: context.services.live.articleMatcher(args.filter, [ArticleEventType.PUBLISHED]) }),
  })
  articlePublished(@Root() event: ArticleLogEvent, @Args(() => ArticleSubscriptionArgs) _args: ArticleSubscriptionArgs): ArticleEvent {
    return toArticleEvent(event);
  }

  @Subscription(() => ArticleEvent, {
    description: "Every published, updated and unpublished story, in order, resumable with `after`.",
    subscribe: ({ args, context }: SubscribeData<ArticleSubscriptionArgs>) =>
      context.services.live.feed(context, args.after, { topic: "article", match: context.services.live.articleMatcher(args.filter, STORY_EVENTS) }),
  })
  articleEvents(@Root() event: ArticleLogEvent, @Args(() => ArticleSubscriptionArgs) _args: ArticleSubscriptionArgs): ArticleEvent {
    return toArticleEvent(event);
  }

  @Subscription(() => CommentEvent, {
    description: "Comments as they become visible (approved). Without articleId, across all stories.",
    subscribe: ({ args, context }: SubscribeData<CommentSubscriptionArgs>) => {
      const live = context.services.live;
      return live.feed(context, args.after, {
        topic: "comment",
        match: live.commentMatcher(args.articleId),
        check: live.commentStillVisible({
          comment: (event: CommentLogEvent, viewer: Viewer | null, pk: number) => context.eventLoaders(event, viewer).comment.load(pk),
          story: (event: CommentLogEvent, viewer: Viewer | null) => context.eventLoaders(event, viewer).article.load(event.articlePk),
        }),
      });
    },
  })
  commentAdded(@Root() event: CommentLogEvent, @Args(() => CommentSubscriptionArgs) _args: CommentSubscriptionArgs): CommentEvent {
    return { cursor: toEventCursor(event.seq), comment: commentFromSnapshot(event.snapshot) };
  }
}
