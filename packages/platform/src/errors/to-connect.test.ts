import { create, toBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { BadRequestSchema } from '@ordersystem/contracts/ordersystem/common/v1/error_details';
import { AppError, type ErrorKind, invalidArgument, payloadTooLarge, resourceExhausted } from './app-error';
import {
  DATABASE_UNAVAILABLE,
  INTERNAL_MESSAGE,
  relayUpstreamError,
  toConnectError,
  UPSTREAM_UNAVAILABLE,
} from './to-connect';

describe('toConnectError', () => {
  it.each<[ErrorKind, Code, number]>([
    ['invalid_argument', Code.InvalidArgument, 400],
    ['not_found', Code.NotFound, 404],
    ['already_exists', Code.AlreadyExists, 409],
    ['failed_precondition', Code.FailedPrecondition, 400],
    ['permission_denied', Code.PermissionDenied, 403],
    ['unauthenticated', Code.Unauthenticated, 401],
    ['resource_exhausted', Code.ResourceExhausted, 429],
    ['unavailable', Code.Unavailable, 503],
  ])('maps the kind %s to code %i (HTTP %i), keeping the message', (kind, code, httpStatus) => {
    const mapped = toConnectError(new AppError(kind, 'the reason'));
    expect(mapped).toMatchObject({ unexpected: false, httpStatus });
    expect(mapped.outage).toBeFalsy();
    expect(mapped.error.code).toBe(code);
    expect(mapped.error.rawMessage).toBe('the reason');
    expect(mapped.error.details).toEqual([]);
  });

  it('carries field violations as one BadRequest detail', () => {
    const { error } = toConnectError(
      invalidArgument([
        { field: 'lines[2].quantity', description: 'must be positive' },
        { field: 'email', description: 'required' },
      ]),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    const [badRequest, ...rest] = error.findDetails(BadRequestSchema);
    expect(rest).toEqual([]);
    expect(badRequest!.fieldViolations.map(({ field, description }) => ({ field, description }))).toEqual([
      { field: 'lines[2].quantity', description: 'must be positive' },
      { field: 'email', description: 'required' },
    ]);
  });

  it('sends Retry-After as response metadata and a too-large body as HTTP 413', () => {
    const limited = toConnectError(resourceExhausted('rate limit exceeded', 7));
    expect(limited.error.metadata.get('retry-after')).toBe('7');
    expect(limited.httpStatus).toBe(429);
    const tooLarge = toConnectError(payloadTooLarge(1024));
    expect(tooLarge.error.code).toBe(Code.ResourceExhausted);
    expect(tooLarge.error.rawMessage).toBe('request body larger than 1024 bytes');
    expect(tooLarge.httpStatus).toBe(413);
  });

  it.each([
    ['a deliberate refusal', new ConnectError('no such thing', Code.NotFound), false],
    ['a deliberate internal error', new ConnectError('boom', Code.Internal), true],
    ['an unknown error', new ConnectError('what', Code.Unknown), true],
  ])('passes %s through as the same ConnectError', (_name, error, unexpected) => {
    const mapped = toConnectError(error);
    expect(mapped.error).toBe(error);
    expect(mapped.unexpected).toBe(unexpected);
  });

  it.each([
    ['an Error', new Error('password=hunter2 at db.internal:5432')],
    ['a string', 'SELECT secret FROM users'],
    ['undefined', undefined],
  ])('turns %s into internal without leaking anything', (_name, thrown) => {
    const mapped = toConnectError(thrown);
    expect(mapped).toMatchObject({ unexpected: true, httpStatus: 500 });
    expect(mapped.error.code).toBe(Code.Internal);
    expect(mapped.error.rawMessage).toBe(INTERNAL_MESSAGE);
    expect(mapped.error.details).toEqual([]);
    expect(mapped.error.cause).toBeUndefined();
  });

  it.each([
    [
      '57P01 (terminated by an administrator)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    [
      'a driver error wrapped by the ORM',
      new Error('DriverException', { cause: Object.assign(new Error('x'), { code: '08006' }) }),
    ],
    ['"Connection terminated unexpectedly"', new Error('Connection terminated unexpectedly')],
  ])('maps a lost database connection, %s, to unavailable as an outage', (_name, thrown) => {
    const mapped = toConnectError(thrown);
    expect(mapped).toMatchObject({ unexpected: false, outage: true, httpStatus: 503 });
    expect(mapped.error.code).toBe(Code.Unavailable);
    expect(mapped.error.rawMessage).toBe(DATABASE_UNAVAILABLE);
  });
});

describe('relayUpstreamError', () => {
  /** An error as the upstream sent it: connect attaches the response headers/trailers. */
  const answered = (message: string, code: Code) =>
    new ConnectError(message, code, { 'grpc-status': String(code), 'x-internal': 'secret' });
  const aborted = () => {
    const ac = new AbortController();
    ac.abort();
    return ac.signal;
  };

  it.each(['Aborted', 'InvalidArgument', 'Unavailable', 'Canceled', 'Internal'] as const)(
    'keeps the code and message of an answer the upstream gave (%s), without its metadata',
    (name) => {
      const code = Code[name];
      const relayed = relayUpstreamError(answered('the upstream says', code));
      expect(relayed.code).toBe(code);
      expect(relayed.rawMessage).toBe('the upstream says');
      expect([...relayed.metadata.keys()]).toEqual([]);
    },
  );

  it('passes BadRequest details through, decoded for JSON clients', () => {
    const badRequest = create(BadRequestSchema, { fieldViolations: [{ field: 'email', description: 'required' }] });
    const sent = new ConnectError('email: required', Code.InvalidArgument, { 'grpc-status': '3' });
    sent.details.push({ type: BadRequestSchema.typeName, value: toBinary(BadRequestSchema, badRequest) });
    const relayed = relayUpstreamError(sent);
    expect(relayed.details[0]).toHaveProperty('desc', BadRequestSchema);
    expect(relayed.findDetails(BadRequestSchema)[0]!.fieldViolations[0]).toMatchObject({
      field: 'email',
      description: 'required',
    });
  });

  it.each([
    [
      'a reset HTTP/2 stream (upstream killed)',
      new ConnectError('http/2 stream closed with error code CANCEL (0x8)', Code.Canceled),
    ],
    [
      'a reset connection',
      new ConnectError(
        'read ECONNRESET',
        Code.Aborted,
        undefined,
        undefined,
        Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      ),
    ],
    [
      'a refused connection',
      new ConnectError(
        'connect ECONNREFUSED 10.0.0.7:50051',
        Code.Unavailable,
        undefined,
        undefined,
        new Error('ECONNREFUSED'),
      ),
    ],
    [
      'an internal stream error',
      new ConnectError('http/2 stream closed with error code INTERNAL_ERROR (0x2)', Code.Internal),
    ],
    ['a non-Connect error', new Error('socket hang up')],
  ])('makes %s unavailable with a generic message', (_name, err) => {
    const relayed = relayUpstreamError(err, new AbortController().signal);
    expect(relayed.code).toBe(Code.Unavailable);
    expect(relayed.rawMessage).toBe(UPSTREAM_UNAVAILABLE);
  });

  it('keeps our own deadline, and canceled when our caller has left', () => {
    expect(relayUpstreamError(new ConnectError('the operation timed out', Code.DeadlineExceeded)).code).toBe(
      Code.DeadlineExceeded,
    );
    expect(relayUpstreamError(new ConnectError('This operation was aborted', Code.Canceled), aborted()).code).toBe(
      Code.Canceled,
    );
  });
});
