export { devLogin, type Tokens } from './dev-login.js';
export {
  DEV_OIDC_CLIENT,
  startDevOidcProvider,
  type DevOidcClient,
  type DevOidcProvider,
  type DevOidcProviderOptions,
} from './oidc/provider.js';
export { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.js';
export { startTwilioFake, type TwilioFailure, type TwilioFake, type TwilioMessage } from './twilio-fake.js';
