import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import { DownloadsApp } from './App';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <DownloadsApp />
  </StrictMode>,
);
