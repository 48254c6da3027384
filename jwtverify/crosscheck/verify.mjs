// Verifies every token of a cases file with aws-jwt-verify's
// CognitoJwtVerifier and prints one verdict per row as JSON, for
// crosscheck_test.go to compare with jwtverify's.
//
//   node verify.mjs cases.json
//
// cases.json: {
//   "userPoolId": "us-east-1_...",          // the pool; its AWS issuer is what tokens must carry
//   "jwks": {"keys": [...]},                // loaded with verifier.cacheJwks(jwks)
//   "localJwksUrl": "http://127.0.0.1:.../<pool>/.well-known/jwks.json",
//   "cases": [{"name", "token", "tokenUse", "clientId", "scope"?, "groups"?, "graceSeconds"?}]
// }
//
// Output: {"version": "5.x.y", "results": [{"name", "verdict", "message", "fetches"}]}, where
// verdict is "ok" or the class name of the error verify() threw.
//
// Each row gets a fresh verifier, so no row sees another's cache or penalty
// box. The verifier would fetch the JWKS from AWS
// (https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json);
// the fetcher below serves that URL from locognito instead and refuses every
// other URL, so nothing leaves the machine.
import { readFile } from "node:fs/promises";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

const file = process.argv[2];
if (!file) {
  console.error("usage: node verify.mjs cases.json");
  process.exit(2);
}
const input = JSON.parse(await readFile(file, "utf8"));
// The package does not export its package.json; read it from where npm ci put it.
const { version } = JSON.parse(
  await readFile(new URL("./node_modules/aws-jwt-verify/package.json", import.meta.url), "utf8"),
);

const region = input.userPoolId.split("_")[0];
const awsJwksUris = new Set([
  `https://cognito-idp.${region}.amazonaws.com/${input.userPoolId}/.well-known/jwks.json`,
  `https://issuer-cognito-idp.${region}.amazonaws.com/${input.userPoolId}/.well-known/jwks.json`,
]);

async function verdict(c) {
  let fetches = 0;
  const fetcher = {
    async fetch(uri) {
      fetches++;
      if (!awsJwksUris.has(uri)) {
        throw new Error(`refusing to fetch ${uri}`);
      }
      const res = await fetch(input.localJwksUrl);
      if (res.status !== 200) {
        throw new Error(`JWKS fetch: status ${res.status}`);
      }
      return res.arrayBuffer();
    },
  };
  const props = { userPoolId: input.userPoolId, tokenUse: c.tokenUse, clientId: c.clientId };
  if (c.scope) props.scope = c.scope;
  if (c.groups) props.groups = c.groups;
  if (c.graceSeconds) props.graceSeconds = c.graceSeconds;
  try {
    const verifier = CognitoJwtVerifier.create(props, {
      jwksCache: new SimpleJwksCache({ fetcher }),
    });
    verifier.cacheJwks(input.jwks);
    await verifier.verify(c.token);
    return { name: c.name, verdict: "ok", message: "", fetches };
  } catch (err) {
    return {
      name: c.name,
      verdict: err?.constructor?.name ?? typeof err,
      message: String(err?.message ?? err),
      fetches,
    };
  }
}

const results = [];
for (const c of input.cases) {
  results.push(await verdict(c));
}
process.stdout.write(JSON.stringify({ version, results }, null, 2) + "\n");
