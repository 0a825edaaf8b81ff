export { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.js';
export { startTwilioFake, type TwilioFailure, type TwilioFake, type TwilioMessage } from './twilio-fake.js';
