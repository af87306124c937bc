// TypeDoc (`npm run docs:api`, run in CI): the API reference of every subpath of `exports`, into
// docs/api/ (not committed). Every export must carry a TSDoc comment and every {@link} must
// resolve: validation warnings are errors.
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** `.` is src/index.ts; `./name` is src/name/index.ts. */
const entryPoints = Object.keys(pkg.exports)
  .filter((subpath) => subpath !== './package.json')
  .map((subpath) => (subpath === '.' ? 'src/index.ts' : `src/${subpath.slice(2)}/index.ts`));
for (const entry of entryPoints) {
  if (!existsSync(new URL(`./${entry}`, import.meta.url)))
    throw new Error(`typedoc.config.mjs: no ${entry} for a subpath of exports`);
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: pkg.name,
  entryPoints,
  tsconfig: 'tsconfig.json',
  out: 'docs/api',
  readme: 'README.md',
  projectDocuments: ['docs/*.md'],
  excludePrivate: true,
  excludeInternal: true,
  includeVersion: false,
  sort: ['source-order'],
  // The main entry's names by topic (`@category` tags), not one flat list by kind.
  categorizeByGroup: false,
  defaultCategory: 'Other',
  navigation: { includeCategories: true, includeGroups: false },
  validation: {
    notExported: true,
    invalidLink: true,
    invalidPath: true,
    rewrittenLink: true,
    notDocumented: true,
    unusedMergeModuleWith: true,
  },
  requiredToBeDocumented: [
    'Enum',
    'EnumMember',
    'Variable',
    'Function',
    'Class',
    'Interface',
    'Method',
    'Accessor',
    'TypeAlias',
    'Namespace',
  ],
  // The state's id tables are an in-memory layout, not API: users read them through
  // `milestoneMoney` and `moneyByMilestone`, so the type is named in the state but not exported.
  intentionallyNotExported: ['IdTable'],
  // The README's diagrams are mermaid: drawn by GitHub and npm, left as text by TypeDoc.
  ignoredHighlightLanguages: ['mermaid', 'sql'],
  treatValidationWarningsAsErrors: true,
  treatWarningsAsErrors: true,
};
