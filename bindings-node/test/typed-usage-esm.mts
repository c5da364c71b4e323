// The ES module entry's declarations (`import` condition of the exports map).
import authingResign, { ManagementClient, UserIdType, ApiError } from 'authing-resign';

const client: ManagementClient = new authingResign.ManagementClient({ accessKeyId: 'id', accessKeySecret: 's' });
const t: UserIdType = UserIdType.PHONE;
export async function run(): Promise<number | null> {
  try {
    await client.resignUserBatch({ userIds: ['13800000000'], userIdType: t });
    return null;
  } catch (err) {
    return err instanceof ApiError ? err.statusCode : null;
  }
}
