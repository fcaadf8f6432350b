import { SignJWT } from 'jose';
import type { Config } from '../config.js';
import type { TokenActor } from './actor.js';

/** Signs an HS256 token with the configured secret: for development, the demo and the token script only. */
export async function mintDevToken(config: Config, actor: TokenActor, ttl = '8h'): Promise<string> {
  if (!config.JWT_SECRET) throw new Error('minting development tokens needs JWT_SECRET (or the development secret)');
  let jwt = new SignJWT({ ...actor }).setProtectedHeader({ alg: 'HS256' }).setSubject(actor.sub).setIssuedAt().setExpirationTime(ttl);
  if (config.JWT_ISSUER) jwt = jwt.setIssuer(config.JWT_ISSUER);
  if (config.JWT_AUDIENCE) jwt = jwt.setAudience(config.JWT_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(config.JWT_SECRET));
}
