// The lexicon's institution kinds come from the entity module, whose decorators need it loaded first.
import "reflect-metadata";
import { parentPort } from "node:worker_threads";
import { BadUserInputError } from "../../common/errors";
import { extractStory } from "./import.extract";
import type { FromWorker, ToWorker } from "./import.pool";

/*
 * A worker thread of the import pool: reads one story at a time and posts back what extractStory
 * answers, or its refusal, as plain data (an error's class does not cross threads).
 */

const port = parentPort!;

port.on("message", ({ id, text }: ToWorker) => {
  let answer: FromWorker;
  try {
    answer = { id, story: extractStory(text) };
  } catch (error) {
    if (error instanceof BadUserInputError) answer = { id, refused: { message: error.message, field: typeof error.extensions.field === "string" ? error.extensions.field : null } };
    else answer = { id, failed: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error) };
  }
  port.postMessage(answer);
});

port.postMessage({ ready: true } satisfies FromWorker);
