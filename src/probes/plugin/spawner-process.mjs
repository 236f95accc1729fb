// A plugin spawner process: runs plugins on behalf of `steward serve`. Forking from this small
// process costs a fraction of forking from the server (fork copies the page tables, and the
// server's grow with its heap), and it keeps the server's event loop free while fork runs.
// Plain JavaScript so that it does not load Node's type stripper.
import { KILL_GRACE_MS, spawnCapture } from './spawn-capture.mjs';

const running = new Map();

process.on('message', (message) => {
  if (message.t === 'run') {
    const controller = new AbortController();
    running.set(message.id, controller);
    spawnCapture(message.request, controller.signal).then((outcome) => {
      running.delete(message.id);
      if (process.connected) process.send({ id: message.id, outcome });
    });
  } else if (message.t === 'abort') {
    running.get(message.id)?.abort();
  }
});

// The server is gone (stopped, or killed): stop its plugins the way a timeout would, then leave.
process.on('disconnect', () => {
  for (const controller of running.values()) controller.abort();
  setTimeout(() => process.exit(0), running.size === 0 ? 0 : KILL_GRACE_MS + 50).unref();
});
