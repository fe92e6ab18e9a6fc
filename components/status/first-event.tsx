// How to send a first event: a curl line that works as written (event time from the shell's clock).
export function FirstEventHelp({ baseUrl, needsToken }: { baseUrl: string; needsToken: boolean }) {
  const auth = needsToken ? ` -H "Authorization: Bearer $INGEST_TOKEN"` : '';
  const line =
    `curl -sS ${baseUrl}/v1/events -H 'Content-Type: application/x-ndjson'${auth} \\\n` +
    `  --data-binary "{\\"event_id\\":\\"evt-1\\",\\"tx_id\\":\\"pay-1\\",\\"service\\":\\"api\\",\\"operation\\":\\"authorize\\",\\"state\\":\\"authorized\\",\\"ts\\":$(date +%s000)}"`;
  return (
    <section className="empty" aria-labelledby="first-event">
      <h2 id="first-event">Send your first event</h2>
      <p className="muted">
        Services post transaction events as NDJSON (one JSON object per line) or a JSON array. The answer says how many
        were accepted and, for any rejected line, which field was wrong and why.
      </p>
      <pre>
        <code>{line}</code>
      </pre>
    </section>
  );
}
