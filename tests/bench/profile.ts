import fs from "node:fs";
import path from "node:path";

/*
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per package
 * (node_modules/<package>, the project's own files, Node internals, GC, idle).
 *
 *   node dist/tests/bench/profile.js FILE.cpuprofile [--top 25]
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle (what the process spent working). */
  busyMs: number;
  functions: ProfileLine[];
  packages: ProfileLine[];
}

/** Where a frame's code comes from: a package, the project, Node itself, or a V8 pseudo-frame. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === "") {
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(garbage collector)") return functionName;
    return "(native / V8)";
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith("node:")) return "node internals";
  const own = /\/dist\/(src|tests)\/(.*)$/.exec(url);
  if (own) return `project: ${own[1]}/${path.dirname(own[2]!)}`;
  return url;
}

function shortUrl(url: string, line: number): string {
  if (url === "") return "";
  const trimmed = url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "").replace(/^.*\/dist\//, "dist/");
  return `${trimmed}:${line + 1}`;
}

/** A stretch of time on the monotonic clock, in microseconds (V8 profile timestamps, `process.hrtime` / 1000). */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/** The current monotonic time in microseconds: the clock V8 stamps profile samples with (on Linux). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Self time per function and per package; with `window`, only the samples taken within it. */
export function summarize(profile: CpuProfile, top = 25, window?: TimeWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === "(idle)") idleUs += us;
    const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
    const entry = functions.get(key) ?? { name: frame.functionName || "(anonymous)", where: shortUrl(frame.url, frame.lineNumber), us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const area = areaOf(frame);
    packages.set(area, (packages.get(area) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const line = (name: string, where: string, us: number): ProfileLine => ({ name, where, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 });
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: [...functions.values()]
      .filter((f) => f.name !== "(idle)")
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => line(f.name, f.where, f.us)),
    packages: [...packages.entries()]
      .filter(([name]) => name !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => line(name, "", us)),
  };
}

/** The summary as markdown: two tables, shares of the busy (non-idle) time. */
export function summaryMarkdown(title: string, summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const lines = [
    `#### ${title}`,
    "",
    `Profiled ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(summary.busyMs / 1000).toFixed(1)} s. Self time, as a share of busy time:`,
    "",
    "| package / area | self ms | share |",
    "| --- | ---: | ---: |",
    ...summary.packages.map((p) => `| ${p.name} | ${p.selfMs.toFixed(0)} | ${pct(p.share)} |`),
    "",
    "| function | where | self ms | share |",
    "| --- | --- | ---: | ---: |",
    ...summary.functions.map((f) => `| ${f.name.replace(/\|/g, "\\|")} | ${f.where} | ${f.selfMs.toFixed(0)} | ${pct(f.share)} |`),
    "",
  ];
  return lines.join("\n");
}

export function summarizeFile(file: string, top = 25, window?: TimeWindow): ProfileSummary {
  return summarize(JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile, top, window);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf("--top");
  const top = topAt === -1 ? 25 : Number(args[topAt + 1]);
  const files = args.filter((a, i) => !a.startsWith("--") && (topAt === -1 || i !== topAt + 1));
  if (files.length === 0) {
    console.error("usage: node dist/tests/bench/profile.js FILE.cpuprofile… [--top N]");
    process.exit(2);
  }
  for (const file of files) console.log(summaryMarkdown(path.basename(file), summarizeFile(file, top)));
}
