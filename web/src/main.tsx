import { render } from 'preact';
import './styles.css';
import { App } from './app';
import { startRouter } from './router';
import { session } from './session';

startRouter();
void session.start();
render(<App />, document.getElementById('app')!);
