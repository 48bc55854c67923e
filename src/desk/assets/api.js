// The desk's only way to the server: GraphQL over HTTP POST with the editor's token, the same API
// and the same rules as any other client. Each operation is named, so the server's logs and
// metrics say what the desk did.

/** An answer of the API with an error: `code` and `field` are the first error's extensions. */
export class ApiError extends Error {
  constructor(message, { code = null, field = null, status = 0 } = {}) {
    super(message);
    this.code = code;
    this.field = field;
    this.status = status;
  }

  /** The token is not (or no longer) accepted: the server answered 401 for the whole request. */
  get signedOut() {
    return this.status === 401;
  }
}

export class Api {
  /**
   * @param {string} endpoint the GraphQL URL
   * @param {string} token an API token
   */
  constructor(endpoint, token) {
    this.endpoint = endpoint;
    this.token = token;
  }

  async run(document, operationName, variables = {}) {
    let response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          authorization: `Bearer ${this.token}`,
        },
        body: JSON.stringify({ query: document, operationName, variables }),
        // The token travels in the header alone; there is no cookie to send.
        credentials: "omit",
        cache: "no-store",
      });
    } catch {
      throw new ApiError("The server cannot be reached. Check the connection and try again.", { code: "NETWORK" });
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const first = body && Array.isArray(body.errors) && body.errors.length > 0 ? body.errors[0] : null;
    if (response.status === 401) {
      throw new ApiError(first ? first.message : "The server does not accept this token.", { code: "UNAUTHENTICATED", status: 401 });
    }
    if (first) {
      const extensions = first.extensions || {};
      throw new ApiError(first.message, { code: extensions.code || null, field: extensions.field || null, status: response.status });
    }
    if (!response.ok || !body || !body.data) throw new ApiError(`The server answered HTTP ${response.status}.`, { status: response.status });
    return body.data;
  }
}

export const VIEWER = `query DeskViewer { me { name role } }`;

const SPAN = "start end text";
export const PREVIEW = `query DeskPreview($text: String!, $choices: ImportChoices) {
  previewImport(text: $text, choices: $choices) {
    title dateline source body paragraphs furniture
    institutions { ref action id storedName name shortName kind classification city province parentRef added mentions { ${SPAN} } }
    accreditations { action id code title year institutionRef institutionName span { ${SPAN} } }
    people { ref action id storedName name mentions { ${SPAN} } }
    positions { action id title current personRef personName institutionRef institutionName span { ${SPAN} } }
    quotes { position text attribution speakerRef speakerName institutionRef institutionName span { ${SPAN} } attributionSpan { ${SPAN} } }
    authors { action id storedName name role }
    warnings { code message span { ${SPAN} } }
    counts { institutionsCreated institutionsLinked peopleCreated peopleLinked positions quotes accreditations warnings }
  }
}`;

export const IMPORT = `mutation DeskImport($text: String!, $publish: Boolean, $choices: ImportChoices) {
  importArticle(text: $text, publish: $publish, choices: $choices) { id slug title status }
}`;

export const FIND_INSTITUTIONS = `query DeskFindInstitutions($search: String!) {
  institutions(first: 8, filter: { search: $search }) { nodes { id name shortName kind city } }
}`;

export const FIND_PEOPLE = `query DeskFindPeople($search: String!) {
  people(first: 8, filter: { search: $search }) { nodes { id name positions { title institution { name } } } }
}`;

const SOURCES = "sources { fact value disputed proposed withdrawn direct articleTitle excerpt article { slug title status } }";

export const ARTICLE = `query DeskArticle($slug: String!) {
  article(slug: $slug) {
    id slug title status dateline source publishedAt paragraphs
    institutions { id name }
    people { id name }
    quotes { position text attribution speaker { id name } institution { id name } }
  }
}`;

export const INSTITUTION = `query DeskInstitution($id: ID!) {
  institution(id: $id) {
    id name shortName kind classification city province
    parent { id name }
    accreditations { code title year }
    positions { title current person { id name } }
    ${SOURCES}
  }
}`;

export const PERSON = `query DeskPerson($id: ID!) {
  person(id: $id) {
    id name
    positions { title current institution { id name } }
    quotes(first: 20) { nodes { text article { slug title } } }
    ${SOURCES}
  }
}`;

export const CONFLICTS = `query DeskConflicts {
  factConflicts(first: 50, includeProposed: true) {
    id fact title proposed
    institution { id name }
    choices {
      id value label accepted
      position { id title current person { id name } }
      sources { articleTitle excerpt span { start end } direct proposed article { slug title status body } }
    }
  }
}`;

export const SETTLE = `mutation DeskSettle($input: SettleConflictInput!) {
  settleConflict(input: $input) { id }
}`;
