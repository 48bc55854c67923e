import { Field, ID, InterfaceType } from "type-graphql";

/** Anything with a global id that `node(id:)` can fetch. */
@InterfaceType("Node")
export abstract class Node {
  @Field(() => ID)
  abstract readonly id: string;
}
