// Drives `certharness serve` with the official OpenAI Node SDK, unmodified: every certificates
// call the SDK has, auto-pagination in both orders, and the error classes of three failures.
// Usage: node sdk_check.mjs BASE_URL PEM_FILE (see tools/sdk-check).
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [baseURL, pemFile] = process.argv.slice(2);
const pem = readFileSync(pemFile, 'utf8');
const client = new OpenAI({ baseURL, apiKey: 'sk-unused', adminAPIKey: 'sk-admin-sdk-check', maxRetries: 0 });
const certificates = client.admin.organization.certificates;
const projectCertificates = client.admin.organization.projects.certificates;

let failures = 0;
function check(what, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures += 1;
}
async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}
async function expectError(what, promise, errorClass, status) {
  try {
    await promise;
    check(what, false, 'no error');
  } catch (e) {
    check(what, e instanceof errorClass && e.status === status, `${e.constructor.name} ${e.status}`);
  }
}

const desc = await collect(certificates.list({ limit: 7 }));
const asc = await collect(certificates.list({ limit: 7, order: 'asc' }));
check('list auto-paginates desc', desc.length > 7, `${desc.length} certificates`);
check('asc is desc reversed', JSON.stringify(asc.map((c) => c.id)) ===
  JSON.stringify(desc.map((c) => c.id).reverse()));
check('desc sorted by created_at', desc.every((c, i) => i === 0 || desc[i - 1].created_at >= c.created_at));

const created = await certificates.create({ name: 'sdk check', certificate: pem });
check('create', created.object === 'certificate' && created.id.startsWith('cert_'), created.id);
const withContent = await certificates.retrieve(created.id, { include: ['content'] });
check('retrieve with content', withContent.certificate_details.content?.includes('BEGIN CERTIFICATE'));
const renamed = await certificates.update(created.id, { name: 'renamed by sdk' });
check('rename', renamed.name === 'renamed by sdk');
const activated = await collect(certificates.activate({ certificate_ids: [created.id] }));
check('activate', activated.length === 1 && activated[0].active === true);
const listed = (await collect(certificates.list({ limit: 100 }))).find((c) => c.id === created.id);
check('listed as active', listed?.active === true);
const deactivated = await collect(certificates.deactivate({ certificate_ids: [created.id] }));
check('deactivate', deactivated.length === 1 && deactivated[0].active === false);
const projectActivated = await collect(projectCertificates.activate('proj_sdk', { certificate_ids: [created.id] }));
check('project activate', projectActivated[0]?.object === 'organization.project.certificate' && projectActivated[0]?.active === true);
const project = await collect(projectCertificates.list('proj_sdk', { limit: 5 }));
check('project list auto-paginates', project.length === desc.length + 1, `${project.length} certificates`);
check('project state is its own', project.find((c) => c.id === created.id)?.active === true);
await collect(projectCertificates.deactivate('proj_sdk', { certificate_ids: [created.id] }));
const deleted = await certificates.delete(created.id);
check('delete', deleted.object === 'certificate.deleted' && deleted.id === created.id);

await expectError('bad limit is BadRequestError', certificates.list({ limit: 0 }), OpenAI.BadRequestError, 400);
await expectError('unknown id is NotFoundError', certificates.retrieve('cert_does_not_exist'), OpenAI.NotFoundError, 404);
const noKey = new OpenAI({ baseURL, apiKey: 'sk-unused', adminAPIKey: 'sk-admin-never-sent', maxRetries: 0 });
await expectError('missing key is AuthenticationError',
  noKey.admin.organization.certificates.list({}, { headers: { Authorization: null } }),
  OpenAI.AuthenticationError, 401);

console.log(failures === 0 ? 'sdk check: all passed' : `sdk check: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
