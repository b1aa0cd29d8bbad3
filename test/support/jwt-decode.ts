// Reads a token's parts for assertions (no verification: that is what the server under test does).
export interface Decoded {
  header: Record<string, unknown>;
  payload: { exp: number; iat: number; nbf: number; identity: string; [claim: string]: unknown };
}

export function decode(token: string): Decoded {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, payload };
}
