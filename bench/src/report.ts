/* What a run prints, and the Markdown it writes into bench/RESULTS.md (with --write). */
import { execSync } from 'node:child_process';
import os from 'node:os';
import type { Verdict } from './targets.js';

export interface Table {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly note?: string;
}

export function machine(): Record<string, string> {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    node: process.version,
    v8: process.versions.v8,
    cpu: `${cpus[0]?.model ?? 'unknown'} (${String(cpus.length)} cores)`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    os: `${os.type()} ${os.release()}`,
    load:
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ') + ' (1/5/15 min, at the end of the run)',
    commit,
  };
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
}

export function tableText(t: Table): string {
  const widths = t.headers.map((h, i) =>
    Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)),
  );
  const lines = [
    `\n${t.title}`,
    pad(t.headers, widths),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...t.rows.map((r) => pad(r, widths)),
  ];
  if (t.note !== undefined) lines.push(t.note);
  return lines.join('\n');
}

export function tableMarkdown(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `#### ${t.title}`,
    '',
    `| ${t.headers.map(esc).join(' | ')} |`,
    `| ${t.headers.map(() => '---').join(' | ')} |`,
  ];
  for (const r of t.rows) lines.push(`| ${r.map(esc).join(' | ')} |`);
  if (t.note !== undefined) lines.push('', t.note);
  return lines.join('\n');
}

export function verdictTable(verdicts: readonly Verdict[]): Table {
  return {
    title: 'Targets',
    headers: ['target', 'measured', 'bound', 'status', 'detail'],
    rows: verdicts.map((v) => [
      v.target.what,
      v.target.unit === '×'
        ? `${v.measured.toFixed(3)}×`
        : `${v.measured.toFixed(0)} ${v.target.unit}`,
      `${v.target.kind === 'min' ? '≥' : v.target.kind === 'max' ? '≤' : '<'} ${String(v.target.bound)}${v.target.unit === '×' ? '×' : ` ${v.target.unit}`}`,
      v.pass ? 'met' : 'MISSED',
      v.detail,
    ]),
  };
}
