import nodemailer from 'nodemailer';
import { type SmtpSink, type TwilioFake, startSmtpSink, startTwilioFake } from '@ordersystem/dev-sinks';

describe('dev sinks', () => {
  let smtp: SmtpSink;
  let twilio: TwilioFake;

  beforeAll(async () => {
    [smtp, twilio] = await Promise.all([startSmtpSink(), startTwilioFake()]);
  });
  afterAll(() => Promise.all([smtp?.close(), twilio?.close()]));

  const sendSms = (to: string, headers: Record<string, string> = {}) =>
    fetch(`${twilio.url}/2010-04-01/Accounts/AC123/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('AC123:token').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams({ To: to, From: '+15005550006', Body: 'hello' }),
    });

  it('answers the Messages API like Twilio and lists what it received', async () => {
    const res = await sendSms('+441111');
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: 'queued',
      to: '+441111',
      body: 'hello',
    });
    const listed = (await (await fetch(`${twilio.url}/messages`)).json()) as Array<{ to: string }>;
    expect(listed.map((m) => m.to)).toContain('+441111');
  });

  it('injects failures through the control API: permanent errors and 429 with Retry-After', async () => {
    await fetch(`${twilio.url}/control/failures`, {
      method: 'POST',
      body: JSON.stringify({ failure: { kind: 'permanent', code: 21211 } }),
    });
    await fetch(`${twilio.url}/control/failures`, {
      method: 'POST',
      body: JSON.stringify({ failure: { kind: 'rate-limit', retryAfterSeconds: 7 } }),
    });
    const invalid = await sendSms('+442222');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 21211 });
    const limited = await sendSms('+442222');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await sendSms('+442222')).status).toBe(201);
  });

  it('answers a repeated idempotency token with the original message', async () => {
    const first = (await (await sendSms('+443333', { 'I-Twilio-Idempotency-Token': 'n-1' })).json()) as { sid: string };
    const again = (await (await sendSms('+443333', { 'I-Twilio-Idempotency-Token': 'n-1' })).json()) as { sid: string };
    expect(again.sid).toBe(first.sid);
    expect(twilio.messages.filter((m) => m.to === '+443333')).toHaveLength(1);
  });

  it('receives real SMTP, parses it, shows it as JSON, and rejects configured recipients', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.smtpPort });
    await transport.sendMail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'Hi',
      text: 'plain',
      html: '<p>rich</p>',
    });
    const mails = (await (await fetch(`${smtp.webUrl}/mails`)).json()) as Array<{
      subject: string;
      to: string[];
      html: string;
    }>;
    expect(mails).toEqual([expect.objectContaining({ subject: 'Hi', to: ['b@example.com'], html: '<p>rich</p>' })]);

    await fetch(`${smtp.webUrl}/control/reject`, {
      method: 'POST',
      body: JSON.stringify({ address: 'gone@example.com', code: 550 }),
    });
    await expect(
      transport.sendMail({ from: 'a@example.com', to: 'gone@example.com', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    smtp.failNext(451);
    await expect(
      transport.sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 451 });
    transport.close();
  });
});
