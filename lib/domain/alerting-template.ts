// Body templates for generic webhooks: JSON text in which `{{path}}` is replaced by the JSON
// encoding of the value at that path of the notification context (so strings arrive quoted
// and escaped, and the result stays valid JSON). Paths use dots and numeric indexes:
// `{{anomaly.service}}`, `{{anomalies.0.score}}`, `{{summary}}`. Unknown paths render null.
// Pure.

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_m, path: string) => JSON.stringify(valueAt(context, path.split('.'))) ?? 'null');
}

function valueAt(root: unknown, keys: string[]): unknown {
  let v = root;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[k];
  }
  return v === undefined ? null : v;
}

/** null when the template renders to valid JSON for `context`; otherwise what is wrong. */
export function templateProblem(template: string, context: Record<string, unknown>): string | null {
  const rendered = renderTemplate(template, context);
  try {
    JSON.parse(rendered);
    return null;
  } catch (err) {
    return `does not render to valid JSON (${(err as Error).message}); placeholders such as {{anomaly.service}} are replaced by JSON values, quotes included`;
  }
}
