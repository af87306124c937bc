/*
 * Separate instances of the built library. V8 keeps type feedback per function, so code that
 * runs the library's recipes on immer drafts (immer per event) or on another event shape
 * (unfrozen events) in the same process would turn the recipes' property accesses megamorphic
 * and slow every later measurement of `fold`. Contenders that would do that run on their own copy
 * of dist/ (same code, other module instances, their own feedback).
 */
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Library from 'milestone-escrow';
import { TMP } from './data.js';

export type LibraryModule = typeof Library;

export async function isolatedLibrary(name: string): Promise<LibraryModule> {
  const dir = path.join(TMP, `dist-${name}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.resolve('dist'), dir, { recursive: true });
  return (await import(pathToFileURL(path.join(dir, 'index.js')).href)) as LibraryModule;
}
