import "@testing-library/jest-dom/vitest";
import { afterEach, vi } from "vitest";
import { cleanup } from "@testing-library/react";
import { notifications } from "@mantine/notifications";

// What Mantine expects of a browser and happy-dom leaves out.
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: vi.fn(),
  removeListener: vi.fn(),
  addEventListener: vi.fn(),
  removeEventListener: vi.fn(),
  dispatchEvent: vi.fn(),
})) as unknown as typeof window.matchMedia;
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
// Textarea autosize listens for web fonts loading.
if (!("fonts" in document)) Object.defineProperty(document, "fonts", { value: { addEventListener: vi.fn(), removeEventListener: vi.fn() } });

// user-event types key by key through Mantine's inputs; on a busy machine a form test takes
// several seconds, so the default 5 s makes them fail for the machine, not the code.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  cleanup();
  // The toast store outlives a render: the next test must not start with this one's toasts.
  notifications.clean();
  localStorage.clear();
  vi.unstubAllGlobals();
});
