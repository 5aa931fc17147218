import { render } from 'preact';
import { AuthGate } from './auth/AuthGate.tsx';
import { App } from './components/App.tsx';
import './styles.css';

const root = document.getElementById('app');
if (root === null) {
  throw new Error(
    'Dashboard root element #app is missing from index.html; rebuild with packages/web/build.mjs.',
  );
}
render(
  <AuthGate>
    <App />
  </AuthGate>,
  root,
);
