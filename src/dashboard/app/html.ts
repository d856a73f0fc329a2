// JSX-like templates without a compile step: htm bound to Preact's h. Preact escapes every interpolated string.
export { html } from "htm/preact";
