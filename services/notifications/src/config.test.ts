import { loadNotificationsConfig } from './config';

const required = {
  PORT: '0',
  OPS_PORT: '0',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  DATABASE_SCHEMA: 'notifications',
  KAFKA_BROKERS: 'a:9092, b:9092',
};

describe('notifications config', () => {
  it('defaults to the local providers and production retry schedule', () => {
    const config = loadNotificationsConfig({ ...required, ADMIN_EMAILS: 'ops@x.example, boss@x.example' });
    expect(config).toMatchObject({
      KAFKA_BROKERS: ['a:9092', 'b:9092'],
      ADMIN_EMAILS: ['ops@x.example', 'boss@x.example'],
      SMTP_URL: 'smtp://127.0.0.1:1025',
      TWILIO_LOCAL_URL: 'http://127.0.0.1:4010',
      RETRY_BASE_MS: 30_000,
      MAX_ATTEMPTS: 6,
      CONSUMER_FROM_BEGINNING: false,
    });
    expect(config.TWILIO_ACCOUNT_SID).toBeUndefined();
  });

  it('rejects a send lease that a slow provider call could outlive', () => {
    expect(() => loadNotificationsConfig({ ...required, SEND_LEASE_MS: '5000', PROVIDER_TIMEOUT_MS: '5000' })).toThrow(
      /SEND_LEASE_MS/,
    );
  });

  it('rejects a Twilio account SID that does not start with AC', () => {
    expect(() => loadNotificationsConfig({ ...required, TWILIO_ACCOUNT_SID: 'XX123' })).toThrow(/TWILIO_ACCOUNT_SID/);
  });
});
