// `node --import <this file>`: appends the name of every package the process imports (ESM resolution, one a line)
// to the file named by HOLODULE_RECORD_PACKAGES, so a test can check that a command does not load what it
// does not use.
import { register } from 'node:module';

register('./record-packages-hook.js', import.meta.url);
