// Fastify's own schema compilers (ajv for requests, fast-json-stringify for answers), made lazy: a route's
// validator and serializer are compiled on its first request instead of all at start-up. Start-up was spending
// most of its time there for routes that a given process may never serve. Same compilers, same options, same
// behaviour; a schema that cannot compile fails that route's first request (a 500) instead of the start-up,
// so the test suite, which requests every route, is what catches it.
import { createRequire } from 'node:module';

type Compile = (route: unknown) => (data: unknown) => unknown;
type Factory = (externalSchemas: unknown, options: unknown) => Compile;

const require = createRequire(import.meta.url);

function lazily(build: Compile): Compile {
  return (route) => {
    let compiled: ((data: unknown) => unknown) & { errors?: unknown };
    const run = (data: unknown) => {
      compiled ??= build(route);
      const result = compiled(data);
      // Fastify reads a failed validation's reasons from the function it was given.
      run.errors = compiled.errors;
      return result;
    };
    run.errors = undefined as unknown;
    return run;
  };
}

/**
 * A compiler factory whose compiler is made on the first route compile, not when Fastify asks for it: making
 * ajv's compiler builds an Ajv instance, adds its formats and the shared schemas, and checks them against
 * JSON Schema's meta-schema (~25 ms of start-up for a compiler that is first used by a request).
 */
export function madeOnFirstUse(factory: Factory): Factory {
  return (externalSchemas, options) => {
    let compile: Compile | undefined;
    return (route) => {
      compile ??= factory(externalSchemas, options);
      return compile(route);
    };
  };
}

/** The `schemaController.compilersFactory` option: Fastify's default compilers, compiling on first use. */
export function lazyCompilersFactory(): { buildValidator: Factory; buildSerializer: Factory } {
  const validators = madeOnFirstUse((require('@fastify/ajv-compiler') as () => Factory)());
  const serializers = madeOnFirstUse((require('@fastify/fast-json-stringify-compiler') as () => Factory)());
  return {
    buildValidator: (externalSchemas, options) => lazily(validators(externalSchemas, options)),
    buildSerializer: (externalSchemas, options) => lazily(serializers(externalSchemas, options)),
  };
}
