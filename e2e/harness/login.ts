// The headless login lives with the development OpenID provider it drives, shared with the demo seed.
export { devLogin as login, type Tokens } from '@ordersystem/dev-sinks';
