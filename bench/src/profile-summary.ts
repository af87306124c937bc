/* Summarises a V8 CPU profile (.cpuprofile): the frames with the most self and inclusive time. */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

function frameName(cf: CallFrame): string {
  const file =
    cf.url === ''
      ? ''
      : ` ${cf.url
          .replace(/^file:\/\//, '')
          .split('/')
          .slice(-2)
          .join('/')}:${String(cf.lineNumber + 1)}`;
  return `${cf.functionName === '' ? '(anonymous)' : cf.functionName}${file}`;
}

export function summarize(profile: CpuProfile, top = 20): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map<number, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const d = deltas[i] ?? 0;
    total += d;
    selfById.set(id, (selfById.get(id) ?? 0) + d);
  });
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of selfById) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n === undefined) break;
      const k = frameName(n.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const list = (m: Map<string, number>): string =>
    [...m]
      .filter(([k]) => !/^\((root|program|idle)\)/.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `profile: ${(total / 1000).toFixed(0)} ms sampled\n-- self time\n${list(self)}\n-- inclusive time\n${list(inclusive)}`;
}
