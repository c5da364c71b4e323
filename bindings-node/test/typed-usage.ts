// A typed usage of the package, checked by `tsc --noEmit` (make test-node): the
// declarations must describe the API as documented. Not executed.

import {
  ApiError,
  AuthingError,
  BulkProgress,
  BulkReport,
  CancelledError,
  ClientOptions,
  InvalidArgumentError,
  ManagementClient,
  Logger,
  Outcome,
  AuthScheme,
  ResignUserResponse,
  TimeoutError,
  UserIdType,
} from 'authing-resign';

const options: ClientOptions = {
  accessKeyId: 'id',
  accessKeySecret: 'secret',
  host: 'https://api.authing.cn',
  timeout: 10_000,
  lang: 'zh-CN',
  tenantId: 'tenant',
  rejectUnauthorized: true,
  auth: 'signature',
  maxRetries: 3,
  caCert: Buffer.from('-----BEGIN CERTIFICATE-----'),
  proxy: 'http://proxy.internal:3128',
  headers: { 'x-request-from': 'offboarding' },
  maxResponseBytes: 1024 * 1024,
  logger: console,
};
// A pino-shaped logger (no `log` method) and one with only some levels both fit.
const pinoShaped: Logger = { debug: (fields: object, msg: string) => void [fields, msg], warn: () => {} };
const tokenClient = new ManagementClient({ accessKeyId: 'id', accessKeySecret: 's', auth: AuthScheme.TOKEN, logger: pinoShaped });
const scheme: AuthScheme = tokenClient.toJSON().auth;
// @ts-expect-error not an auth scheme
const badScheme: AuthScheme = 'oauth';
// @ts-expect-error the cap is a number of bytes
const badCap: ClientOptions = { accessKeyId: 'id', accessKeySecret: 's', maxResponseBytes: '1MiB' };
const client = new ManagementClient(options);

// UserIdType: a string-literal union and a runtime object.
const byLiteral: UserIdType = 'email';
const byObject: UserIdType = UserIdType.EXTERNAL_ID;
// @ts-expect-error not a UserIdType
const wrong: UserIdType = 'nickname';

async function main(): Promise<void> {
  const resp: ResignUserResponse = await client.resignUserBatch({ userIds: ['6229ffa'], userIdType: byLiteral });
  const ok: boolean = resp.data.success;
  const status: number = resp.statusCode;
  const requestId: string | undefined = resp.requestId;
  await client.resignUser({ userId: 'u1', userIdType: byObject });
  // @ts-expect-error userIds must be an array
  await client.resignUserBatch({ userIds: 'u1' });

  const controller = new AbortController();
  const report: BulkReport = await client.resignUsers({
    userIds: ['a@example.com', 'b@example.com'],
    userIdType: UserIdType.EMAIL,
    chunkSize: 50,
    concurrency: 4,
    dryRun: false,
    deadline: 60_000,
    signal: controller.signal,
    onProgress: (p: BulkProgress) => console.log(`${p.done}/${p.total}`),
  });
  const audit: BulkReport = await client.resignUsers({ userIds: ['a'], verifyOnly: true });
  const verifiedOnly: boolean = audit.verifyOnly;
  const lookups: number = (await client.resignUsers({ userIds: ['a'], verify: true })).lookupCalls;
  for (const u of audit.users) {
    const verified: boolean | null = u.verified;
    const seen: string | null = u.status;
    const note: string | null = u.verifyNote;
    if (u.outcome === Outcome.NOT_ATTEMPTED) console.log(verified, seen, note, verifiedOnly, lookups);
  }
  for (const u of report.users) {
    const outcome: Outcome = u.outcome;
    if (outcome === 'failed') console.log(u.userId, u.error?.code, u.error?.apiCode, u.requestId);
  }
  // An async onProgress is part of the declared type (its rejection cancels the job).
  const onProgress: NonNullable<Parameters<ManagementClient['resignUsers']>[0]['onProgress']> = async (p) => {
    await Promise.resolve(p.done);
  };
  const returned: void | Promise<void> = onProgress({ done: 0, total: 0 } as BulkProgress);
  await returned;
  const notAttempted: number = report.totals.notAttempted;
  console.log(ok, status, requestId, notAttempted, report.stoppedEarly?.code, wrong, scheme, badScheme, badCap);

  try {
    await client.resignUserBatch({ userIds: [] });
  } catch (err) {
    if (err instanceof ApiError) {
      const s: number = err.statusCode;
      const a: number | null = err.apiCode;
      const r: string | null = err.requestId;
      console.log(s, a, r, err.isAuth(), err.isRetryable());
    } else if (err instanceof InvalidArgumentError) {
      console.log(err.field, err.index, err.reason);
    } else if (err instanceof TimeoutError) {
      const phase: 'connect' | 'attempt' | 'total' | 'job' = err.phase;
      console.log(phase);
    } else if (err instanceof CancelledError) {
      console.log(err.report?.totals.resigned, err.cause);
    } else if (err instanceof AuthingError) {
      console.log(err.code);
    }
  }
  console.log(JSON.stringify(client.toJSON()));
}

void main;
