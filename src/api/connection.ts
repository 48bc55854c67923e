import { Field, Int, ObjectType } from "type-graphql";
import type { ClassType } from "type-graphql";
import type { Page } from "../db/pagination";

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  get hasNextPage(): Promise<boolean> {
    return this.page.hasNextPage();
  }

  @Field(() => Boolean)
  get hasPreviousPage(): Promise<boolean> {
    return this.page.hasPreviousPage();
  }

  @Field(() => String, { nullable: true })
  get startCursor(): string | null {
    return this.page.pks.length > 0 ? this.page.cursor(0) : null;
  }

  @Field(() => String, { nullable: true })
  get endCursor(): string | null {
    return this.page.pks.length > 0 ? this.page.cursor(this.page.pks.length - 1) : null;
  }

  constructor(private readonly page: Page) {}
}

/** What every connection of the contract looks like, whatever its node type. */
export interface Connection<T> {
  readonly edges: Array<{ readonly cursor: string; readonly node: T }>;
  readonly nodes: T[];
  readonly pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/** Builds the `XEdge` and `XConnection` object types of a node type. */
export function connectionType<T extends object>(name: string, node: () => ClassType<T>): ClassType<Connection<T>> & { of(page: Page, nodes: readonly T[]): Connection<T> } {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String)
    get cursor(): string {
      return this.page.cursor(this.index);
    }

    @Field(node)
    readonly node: T;

    constructor(
      private readonly page: Page,
      private readonly index: number,
      node: T,
    ) {
      this.node = node;
    }
  }

  // Edges, cursors and page info are built only when a client selects them: most lists ask for
  // nodes alone, and building them for every list showed in the front page's profile.
  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionOf implements Connection<T> {
    @Field(() => [Edge])
    get edges(): Edge[] {
      return this.nodes.map((n, i) => new Edge(this.page, i, n));
    }

    @Field(() => [node()])
    readonly nodes: T[];

    @Field(() => PageInfo)
    get pageInfo(): PageInfo {
      return new PageInfo(this.page);
    }

    @Field(() => Int)
    get totalCount(): Promise<number> {
      return this.page.totalCount();
    }

    constructor(
      private readonly page: Page,
      nodes: readonly T[],
    ) {
      this.nodes = [...nodes];
    }

    /** Pairs a page of keys with the nodes loaded for them (same order). */
    static of(page: Page, nodes: readonly T[]): ConnectionOf {
      return new ConnectionOf(page, nodes);
    }
  }
  return ConnectionOf;
}
