import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createAgoraClient } from './lib/client';
import './index.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={createAgoraClient()} />
  </StrictMode>,
);
