import { DEV_OIDC_CLIENT, startDevOidcProvider } from './oidc/provider.js';
import { startSmtpSink } from './smtp-sink.js';
import { startTwilioFake } from './twilio-fake.js';

/**
 * The local providers for `scripts/dev up`: an SMTP sink with a web view, the development OpenID
 * provider and a Twilio-speaking endpoint. Ports come from DEV_SMTP_PORT (1025), DEV_MAIL_WEB_PORT
 * (1080), DEV_OIDC_PORT (9400) and DEV_TWILIO_PORT (4010). The OpenID client defaults to customers'
 * dev.env; DEV_OIDC_CLIENT_ID, DEV_OIDC_CLIENT_SECRET and DEV_OIDC_REDIRECT_URIS (comma list) override it.
 */
async function main(): Promise<void> {
  const env = process.env;
  const host = env.DEV_SINKS_HOST ?? '127.0.0.1';
  const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
  const mail = await startSmtpSink({
    host,
    smtpPort: port('DEV_SMTP_PORT', 1025),
    webPort: port('DEV_MAIL_WEB_PORT', 1080),
  });
  const oidc = await startDevOidcProvider({
    host,
    port: port('DEV_OIDC_PORT', 9400),
    client: {
      clientId: env.DEV_OIDC_CLIENT_ID ?? DEV_OIDC_CLIENT.clientId,
      clientSecret: env.DEV_OIDC_CLIENT_SECRET ?? DEV_OIDC_CLIENT.clientSecret,
      redirectUris: env.DEV_OIDC_REDIRECT_URIS?.split(',').map((uri) => uri.trim()) ?? DEV_OIDC_CLIENT.redirectUris,
    },
  });
  // Last: scripts/dev waits for the Twilio endpoint, so once it answers everything else listens too.
  const sms = await startTwilioFake({ host, port: port('DEV_TWILIO_PORT', 4010) });
  const say = (line: string) => process.stdout.write(`[dev-sinks] ${line}\n`);
  say(`SMTP on smtp://${host}:${mail.smtpPort}; received mail at http://${host}:${mail.webPort}/ (JSON: /mails)`);
  say(`OpenID provider at ${oidc.issuer} (customers: OIDC_ISSUER_URL=${oidc.issuer}); any email signs in, no password`);
  say(
    `Twilio Messages API on http://${host}:${sms.port}/2010-04-01/Accounts/{sid}/Messages.json; received SMS at http://${host}:${sms.port}/ (JSON: /messages)`,
  );
  const stop = () => void Promise.all([mail.close(), oidc.close(), sms.close()]).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`dev-sinks failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
