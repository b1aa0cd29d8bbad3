// Where and how to connect: MONGODB_URL as given, or the original's MONGODB_HOST/USER/PASSWORD (auth against admin).
import type { MongoClientOptions } from 'mongodb';
import type { Config } from '../../config.js';

export interface MongoConnection {
  url: string;
  options: MongoClientOptions;
  /** Hosts only, never credentials: safe for logs and messages. */
  display: string;
}

/** The URL's host list, without scheme, credentials, path or options. */
export function displayHosts(url: string): string {
  return url.replace(/^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*).*$/s, '$1');
}

function urlHasOption(url: string, name: string): boolean {
  const query = url.split('?')[1] ?? '';
  return query.split('&').some((pair) => pair.split('=')[0]?.toLowerCase() === name.toLowerCase());
}

export function mongoConnection(mongo: Config['mongo']): MongoConnection {
  const url = mongo.url ?? `mongodb://${mongo.host ?? 'localhost:27017'}/`;
  const options: MongoClientOptions = { appName: 'holodule' };
  // The original passed credentials beside the host and checked them against admin; so do we.
  if (mongo.url === undefined && mongo.user !== undefined) {
    options.auth = { username: mongo.user, password: mongo.password };
    options.authSource = 'admin';
  }
  // Our timeout bounds how long a request waits for a server; a URL's own value stands unless ours was set.
  for (const name of ['serverSelectionTimeoutMS', 'connectTimeoutMS', 'waitQueueTimeoutMS'] as const) {
    if (mongo.timeoutExplicit || !urlHasOption(url, name)) options[name] = mongo.timeoutMs;
  }
  return { url, options, display: displayHosts(url) };
}
