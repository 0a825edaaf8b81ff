import type { Logger } from 'pino';
import type { Senders } from '../app/ports.js';
import type { NotificationsConfig } from '../config.js';
import type { NotificationMetrics } from '../metrics.js';
import { withBreaker } from './breaker.js';
import { createSmtpSender } from './smtp-email.js';
import { createTwilioSender } from './twilio-sms.js';

/** A Twilio-shaped account for the local endpoint; the SID must start with AC for the twilio package. */
const LOCAL_TWILIO = { accountSid: 'AC00000000000000000000000000000000', authToken: 'dev-token', from: '+15005550006' };

/**
 * Builds one sender per channel, each behind its own breaker. Twilio credentials present → real
 * Twilio; absent → the same twilio client pointed at TWILIO_LOCAL_URL. Email always uses
 * SMTP_URL, whose default is the local sink. Switching is configuration only.
 */
export function createSenders(config: NotificationsConfig, metrics: NotificationMetrics, logger: Logger) {
  const real = config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM;
  const twilio = real
    ? {
        accountSid: config.TWILIO_ACCOUNT_SID!,
        authToken: config.TWILIO_AUTH_TOKEN!,
        from: config.TWILIO_FROM!,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
      }
    : { ...LOCAL_TWILIO, baseUrl: config.TWILIO_LOCAL_URL, timeoutMs: config.PROVIDER_TIMEOUT_MS };
  logger.info(
    { sms: real ? 'twilio' : `local endpoint ${config.TWILIO_LOCAL_URL}`, email: redactUrl(config.SMTP_URL) },
    'notification providers',
  );
  const breaker = {
    errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENT,
    volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
    resetTimeout: config.BREAKER_RESET_TIMEOUT_MS,
  };
  const smtp = createSmtpSender({
    url: config.SMTP_URL,
    from: config.EMAIL_FROM,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
  });
  const byChannel: Senders = {
    sms: withBreaker('twilio', 'sms', createTwilioSender(twilio), breaker, metrics, logger),
    email: withBreaker('smtp', 'email', smtp, breaker, metrics, logger),
  };
  return { byChannel, close: () => smtp.close() };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'unparseable SMTP_URL';
  }
}
