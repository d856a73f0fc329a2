// The dashboard's entry: styles (uPlot's and ours) and the app, mounted on the shell's #app.
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { render } from "preact";
import { App } from "./app.ts";
import { html } from "./html.ts";

const root = document.getElementById("app");
if (root) render(html`<${App} />`, root);
