import { parentPort } from "node:worker_threads";
import { BadUserInputError } from "../../kernel/errors";
import { extractStory } from "./import.extract";
import type { FromWorker, ToWorker } from "./import.pool";
import { packStory } from "./import.transfer";

/*
 * A worker thread of the import pool (import.pool.ts): reads one story at a time and posts back
 * what extractStory answers, packed (import.transfer.ts: its numbers' buffer is moved, not
 * copied), or its refusal, as plain data (an error's class does not cross threads). It loads the
 * reading alone: no database, no GraphQL schema.
 */

const port = parentPort!;

port.on("message", ({ id, text }: ToWorker) => {
  let answer: FromWorker;
  let moved: ArrayBuffer[] = [];
  try {
    const story = packStory(extractStory(text));
    answer = { id, story };
    moved = [story.numbers.buffer as ArrayBuffer];
  } catch (error) {
    if (error instanceof BadUserInputError) answer = { id, refused: { message: error.message, field: typeof error.extensions.field === "string" ? error.extensions.field : null } };
    else answer = { id, failed: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error) };
  }
  port.postMessage(answer, moved);
});

// A short story first, before it says it is ready: the gazetteer of places is loaded on first use,
// and that would otherwise be spent out of the first story's time budget.
extractStory("Kunjungan\n\nKepala Lapas Kelas IIA Banyuwangi, Hari Winarca, meninjau Rutan Pangkalan Bun.");
port.postMessage({ ready: true } satisfies FromWorker);
