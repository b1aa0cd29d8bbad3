// TypeBox, as every schema here builds with it. One module so the package can ship it as one file: TypeBox is ~700
// ES modules, and loading them one by one was a fifth of `serve`'s start-up and ~15 MB of its idle memory
// (docs/performance.md, "Start-up and footprint"). scripts/bundle-typebox.mjs replaces this module's compiled
// output with a single-file build of the same TypeBox version; test/unit/typebox-bundle.test.ts checks both agree.
export { Type } from 'typebox';
export type { Static, TSchema } from 'typebox';
