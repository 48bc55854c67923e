import "reflect-metadata";
import { ADMITTED_SIZES, ATTACK_FAMILIES, REALISTIC_OPERATIONS, SAMPLES_QUERY, WORST_ADMITTED, aliasedIntrospection, samplesFrom } from "../bench/lib/calibration";
import type { Samples } from "../bench/lib/calibration";
import { useNewsroom } from "../helpers/newsroom";
import { dataOf } from "../helpers/server";
import { connect } from "../helpers/ws";

/*
 * The operations `npm run calibrate` measured on the bench dataset (tests/bench/lib/calibration.ts,
 * the README's table), checked against the default limits on a small newsroom: every realistic
 * one is admitted (the fact-graph pages among them: a people search with quote counts, person and
 * institution pages, directories), the most expensive admitted attack shape sits exactly at the
 * limit, and so does each shape whose statements are priced once per place rather than per row.
 */
describe("cost calibration: the default limits admit real pages and stop the worst shape at the limit", () => {
  const { t, as } = useNewsroom({ roles: true });
  let samples: Samples;
  beforeAll(async () => {
    samples = samplesFrom(dataOf(await t.gql(SAMPLES_QUERY)));
  });

  it.each(REALISTIC_OPERATIONS.map((op) => [op.name, op] as const))("admits the %s over HTTP", async (_name, op) => {
    const res = await t.gql<Record<string, unknown>>(op.query, op.variables(samples), op.role ? as[op.role] : {});
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(Object.values(res.body.data ?? {}).every((value) => value !== null)).toBe(true);
  });

  it("admits the search page over WebSocket too", async () => {
    const search = REALISTIC_OPERATIONS.find((op) => op.name.startsWith("search page"))!;
    const client = connect(t.server.port);
    try {
      const result = client.subscribe<{ articles: { nodes: unknown[] } }>(search.query, search.variables(samples));
      expect(await result.ended).toBeNull();
      expect(result.received[0]?.errors).toBeUndefined();
      expect(result.received[0]?.data?.articles.nodes.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it.each(Object.entries(ADMITTED_SIZES))("admits %s at size %i and refuses it one size up", async (name, size) => {
    const family = ATTACK_FAMILIES.find((f) => f.name === name)!;
    const under = await t.gql(family.build(size));
    expect(under.body.errors).toBeUndefined();
    expect(under.status).toBe(200);
    const over = await t.gql(family.build(size + 1));
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/estimated cost is \d+; at most 5000/), extensions: { code: "QUERY_TOO_COMPLEX" } });
  });

  describe(`the worst admitted shape, ${WORST_ADMITTED.family} at size ${WORST_ADMITTED.size}`, () => {
    const family = ATTACK_FAMILIES.find((f) => f.name === WORST_ADMITTED.family)!;
    /** The same with three standard introspection queries beside it (priced by shape, not cost): the worst the calibration measured. */
    const withIntrospection = (size: number) => aliasedIntrospection(3, family.build(size).trim().slice(1, -1));

    it("is admitted just under and refused just over with three standard introspection queries beside it", async () => {
      const under = await t.gql(withIntrospection(WORST_ADMITTED.size));
      expect(under.body.errors).toBeUndefined();
      expect(under.status).toBe(200);
      const over = await t.gql(withIntrospection(WORST_ADMITTED.size + 1));
      expect(over.status).toBe(400);
      expect(over.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    });

    it("is admitted just under, over HTTP and WebSocket", async () => {
      const res = await t.gql(family.build(WORST_ADMITTED.size));
      expect(res.body.errors).toBeUndefined();
      expect(res.status).toBe(200);
      const client = connect(t.server.port);
      try {
        const result = client.subscribe(family.build(WORST_ADMITTED.size));
        expect(await result.ended).toBeNull();
        expect(result.received[0]?.errors).toBeUndefined();
      } finally {
        await client.close();
      }
    });

    it("is refused one step up with QUERY_TOO_COMPLEX, over HTTP and WebSocket", async () => {
      const res = await t.gql(family.build(WORST_ADMITTED.size + 1));
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/estimated cost is \d+; at most 5000/), extensions: { code: "QUERY_TOO_COMPLEX" } });
      const client = connect(t.server.port);
      try {
        const errors = (await client.subscribe(family.build(WORST_ADMITTED.size + 1)).ended) as Array<{ extensions?: { code?: string } }>;
        expect(errors[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
      } finally {
        await client.close();
      }
    });
  });
});
