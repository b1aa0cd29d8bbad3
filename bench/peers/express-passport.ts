// The usual alternative: Express with passport-jwt and jsonwebtoken on the same SQLite file, written the
// way tutorials and many production apps do it. Same routes and answers as holodule's day query and login.
import { createSecretKey } from 'node:crypto';
import { verify as verifyPassword } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import express from 'express';
import jwt from 'jsonwebtoken';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';

interface UserRow {
  id: string;
  username: string;
  password: string;
}

const secret = process.env.JWT_SECRET_KEY!;
// As written, the secret is a string, and jsonwebtoken 9 turns it into a key on every verify (trying it as a
// public key first). BENCH_SECRET_AS_KEY=1 passes a KeyObject instead: the one-line fix, for a second row.
// (passport-jwt's types predate KeyObject; jsonwebtoken, which it hands the key to, takes one.)
const verificationKey =
  process.env.BENCH_SECRET_AS_KEY === '1' ? (createSecretKey(Buffer.from(secret)) as unknown as string) : secret;
const db = new Database(process.env.BENCH_SQLITE_PATH!);
const findUser = db.prepare<[string], UserRow>('SELECT id, username, password FROM users WHERE username = ?');
const findDay = db.prepare(
  'SELECT key, video_id, datetime, name, title, url, description FROM holodules ' +
    'WHERE datetime >= ? AND datetime < ? ORDER BY datetime DESC, key DESC',
);

passport.use(
  new JwtStrategy(
    { jwtFromRequest: ExtractJwt.fromAuthHeaderWithScheme('jwt'), secretOrKey: verificationKey, algorithms: ['HS256'] },
    (payload: { identity: string }, done: (err: unknown, user?: UserRow | false) => void) => {
      const user = findUser.get(payload.identity);
      done(null, user ?? false);
    },
  ),
);

const app = express();
app.use(express.json());
app.use(passport.initialize());

app.post('/auth', async (req, res) => {
  const { username, password } = req.body ?? {};
  const user = typeof username === 'string' ? findUser.get(username) : undefined;
  if (!user || typeof password !== 'string' || !(await verifyPassword(user.password, password))) {
    res.status(401).json({ status_code: 401, error: 'Bad Request', description: 'Invalid credentials' });
    return;
  }
  const access_token = jwt.sign({ identity: user.username }, secret, {
    algorithm: 'HS256',
    expiresIn: 300,
    notBefore: 0,
  });
  res.json({ access_token });
});

app.get('/holodules/:date', passport.authenticate('jwt', { session: false }), (req, res) => {
  const date = req.params.date;
  if (!/^\d{8}$/.test(date)) {
    res.status(400).json({ error: 'Bad request', description: 'date must be 8 digits, YYYYMMDD' });
    return;
  }
  const holodules = findDay.all(date, `${date}~`);
  if (holodules.length === 0) {
    res.status(404).json({ error: 'Not found' });
    return;
  }
  res.json({ result: holodules.length, holodules });
});

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
