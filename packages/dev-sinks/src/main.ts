import { startSmtpSink } from './smtp-sink.js';
import { startTwilioFake } from './twilio-fake.js';

/**
 * The local providers for `scripts/dev up`: an SMTP sink with a web view and a Twilio-speaking
 * endpoint. Ports come from DEV_SMTP_PORT (1025), DEV_MAIL_WEB_PORT (1080), DEV_TWILIO_PORT (4010).
 */
async function main(): Promise<void> {
  const host = process.env.DEV_SINKS_HOST ?? '127.0.0.1';
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const mail = await startSmtpSink({ host, smtpPort: port('DEV_SMTP_PORT', 1025), webPort: port('DEV_MAIL_WEB_PORT', 1080) });
  const sms = await startTwilioFake({ host, port: port('DEV_TWILIO_PORT', 4010) });
  const say = (line: string) => process.stdout.write(`[dev-sinks] ${line}\n`);
  say(`SMTP on smtp://${host}:${mail.smtpPort}; received mail at http://${host}:${mail.webPort}/ (JSON: /mails)`);
  say(`Twilio Messages API on http://${host}:${sms.port}/2010-04-01/Accounts/{sid}/Messages.json; received SMS at http://${host}:${sms.port}/ (JSON: /messages)`);
  const stop = () => void Promise.all([mail.close(), sms.close()]).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`dev-sinks failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
