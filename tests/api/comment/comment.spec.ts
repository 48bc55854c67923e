import "reflect-metadata";
import { toGlobalId } from "../../../src/kernel/ids";
import { dataOf } from "../../helpers/server";
import { useNewsroom } from "../../helpers/newsroom";

describe("comments (reading)", () => {
  const { t, s } = useNewsroom();

  it("shows readers approved comments on published stories only, newest first", async () => {
    const data = dataOf<{ comments: { totalCount: number; nodes: Array<{ body: string; status: string; authorName: string; article: { title: string } }> } }>(
      await t.gql(`{ comments { totalCount nodes { body status authorName authorWebsite createdAt article { title } } } }`),
    );
    expect(data.comments.totalCount).toBe(2);
    expect(data.comments.nodes.map((c) => [c.body, c.status, c.article.title])).toEqual([
      ["Balasan disetujui", "APPROVED", "Berita nomor 00"],
      ["Komentar disetujui", "APPROVED", "Berita nomor 00"],
    ]);
  });

  it("filters by story and pages", async () => {
    const first = dataOf<{ comments: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ body: string }> } }>(
      await t.gql(`query($a: ID) { comments(first: 1, filter: { articleId: $a, status: APPROVED }) { pageInfo { hasNextPage endCursor } nodes { body } } }`, { a: toGlobalId("Article", s.published[0]!.pk) }),
    );
    expect(first.comments.nodes.map((n) => n.body)).toEqual(["Balasan disetujui"]);
    expect(first.comments.pageInfo.hasNextPage).toBe(true);
    const none = dataOf<{ comments: { totalCount: number } }>(await t.gql(`query($a: ID) { comments(filter: { articleId: $a }) { totalCount } }`, { a: toGlobalId("Article", s.published[1]!.pk) }));
    expect(none.comments.totalCount).toBe(0);
  });

  it.each(["PENDING", "REJECTED", "SPAM"])("asks anonymous readers to sign in for %s comments", async (status) => {
    const res = await t.gql(`query($s: CommentStatus) { comments(filter: { status: $s }) { totalCount } }`, { s: status });
    expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.body.errors?.[0]?.message).toContain(status);
  });

  it("hides pending replies and comments on drafts everywhere they could surface", async () => {
    const data = dataOf<Record<string, { replies?: Array<{ body: string }> } | null>>(
      await t.gql(`query($c: ID!, $p: ID!, $d: ID!) { approved: node(id: $c) { ... on Comment { replies { body } } } pending: node(id: $p) { id } onDraft: node(id: $d) { id } }`, {
        c: toGlobalId("Comment", s.comments.approved.pk),
        p: toGlobalId("Comment", s.comments.pending.pk),
        d: toGlobalId("Comment", s.comments.onDraft.pk),
      }),
    );
    expect(data).toEqual({ approved: { replies: [{ body: "Balasan disetujui" }] }, pending: null, onDraft: null });
  });
});
