// Outside Next's bundler (the custom server, the worker, CLIs, tests) the `server-only`
// guard has no meaning: its default export throws by design. Map it to an empty module
// here so shared lib/server modules can keep `import 'server-only'` for the Next bundle.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        if (specifier === 'server-only') return { url: 'data:text/javascript,', shortCircuit: true };
        return next(specifier, context);
      }`,
    ),
  import.meta.url,
);
