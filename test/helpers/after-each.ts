/** A setup file (vitest.config.ts): runs before every test file, with or without isolation. */
import { afterEach } from "vitest";
import { closeOpened } from "./cleanup.js";

afterEach(closeOpened);
