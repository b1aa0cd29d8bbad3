// The module hook behind record-packages.ts (runs on Node's hooks thread).
import { appendFileSync } from 'node:fs';
import type { ResolveHook } from 'node:module';

const out = process.env.HOLODULE_RECORD_PACKAGES;
const PACKAGE = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;

export const resolve: ResolveHook = async (specifier, context, next) => {
  const result = await next(specifier, context);
  const name = PACKAGE.exec(result.url)?.[1];
  if (name !== undefined && out !== undefined) appendFileSync(out, `${name}\n`);
  return result;
};
