/*
 * The scratch consumer in TypeScript: a .ts and a .cts file importing every subpath, compiled
 * with `moduleResolution: node16` (every declaration file checked) and `bundler`, then run
 * (item 4's TypeScript part in scripts/check-package.ts's list).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, consumer, pkg, run, specifier, state, SUBPATHS, TSC } from './common.js';
import { SMOKE_COMMAND, SMOKE_EXPECTED } from './consumer.js';

/** A typed consumer: a type error anywhere (or an import typed `any`) fails the compile. */
function typedSource(kind: 'esm' | 'cjs'): string {
  const others = SUBPATHS.filter((subpath) => subpath !== '.');
  return [
    `import { decide, fold, summarize, initialState, DomainError, type JobCommand, type JobEvent, type JobStatus } from '${pkg.name}';`,
    ...others.map((subpath, i) => `import * as sub${String(i)} from '${specifier(subpath)}';`),
    ``,
    `const award: JobCommand = ${JSON.stringify(SMOKE_COMMAND)};`,
    `const events: JobEvent[] = decide(award, initialState());`,
    `const summary = summarize(fold(events));`,
    `const status: JobStatus = summary.status;`,
    `// @ts-expect-error: the declarations are real types, not \`any\`: no such command type`,
    `const wrong: JobCommand = { ...award, type: 'HireJob' };`,
    `let rejects: string | false = false;`,
    `try { decide(wrong, initialState()); } catch (error) { rejects = error instanceof DomainError && error.code; }`,
    `const loaded: Record<string, number> = { ${others.map((subpath, i) => `${JSON.stringify(subpath)}: Object.keys(sub${String(i)}).length`).join(', ')} };`,
    `console.log(JSON.stringify({ smoke: { status, version: summary.version, currency: summary.currency }, rejects, loaded, kind: ${JSON.stringify(kind)} }));`,
    ``,
  ].join('\n');
}

function compileAndRun(config: string, outputs: readonly string[]): void {
  run(process.execPath, [TSC, '-p', config], { cwd: consumer });
  for (const output of outputs) {
    const result = JSON.parse(run(process.execPath, [output], { cwd: consumer })) as {
      smoke: unknown;
      rejects: unknown;
      loaded: Record<string, number>;
    };
    assert(
      JSON.stringify(result.smoke) === JSON.stringify(SMOKE_EXPECTED),
      `${output}: smoke ${JSON.stringify(result.smoke)}`,
    );
    assert(result.rejects === 'INVALID_INPUT', `${output}: rejects ${String(result.rejects)}`);
    for (const [subpath, count] of Object.entries(result.loaded)) {
      assert(
        count === state.esmExports[subpath]?.length,
        `${output}: ${specifier(subpath)} has ${String(count)} exports`,
      );
    }
  }
}

const COMPILER = {
  strict: true,
  target: 'ES2022',
  lib: ['ES2023'],
  types: ['node'],
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
};

export function typescript(): string {
  writeFileSync(join(consumer, 'consumer.ts'), typedSource('esm'));
  writeFileSync(join(consumer, 'consumer.cts'), typedSource('cjs'));
  writeFileSync(
    join(consumer, 'tsconfig.node16.json'),
    JSON.stringify({
      compilerOptions: {
        ...COMPILER,
        module: 'node16',
        moduleResolution: 'node16',
        outDir: 'out-node16',
        skipLibCheck: false,
      },
      files: ['consumer.ts', 'consumer.cts'],
    }),
  );
  writeFileSync(
    join(consumer, 'tsconfig.bundler.json'),
    JSON.stringify({
      compilerOptions: {
        ...COMPILER,
        module: 'preserve',
        moduleResolution: 'bundler',
        outDir: 'out-bundler',
        skipLibCheck: true,
      },
      files: ['consumer.ts'],
    }),
  );
  compileAndRun('tsconfig.node16.json', ['out-node16/consumer.js', 'out-node16/consumer.cjs']);
  compileAndRun('tsconfig.bundler.json', ['out-bundler/consumer.js']);
  const version = execFileSync(process.execPath, [TSC, '--version'], { encoding: 'utf8' }).trim();
  return `${version}: node16 (.ts as ESM, .cts as CommonJS; skipLibCheck: false) and bundler compile and run`;
}
