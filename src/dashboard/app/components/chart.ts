// A line chart over time (uPlot): one line per series, x in Unix seconds. Its figures are also given as text to
// assistive technology (the chart's accessible name lists the last value of each line).
import uPlot from "uplot";
import { useEffect, useRef } from "preact/hooks";
import { html } from "../html.ts";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export interface LineChartProps {
  id: string;
  title: string;
  /** Bucket starts, Unix seconds. */
  times: number[];
  series: ChartSeries[];
  /** How a value is written on the axis and in the legend. */
  format: (value: number | null) => string;
}

const COLOURS = ["#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#be185d", "#4d7c0f"];

export function LineChart({ id, title, times, series, format }: LineChartProps) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const width = Math.max(320, Math.min(element.clientWidth || 640, 960));
    const plot = new uPlot(
      {
        width,
        height: 220,
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => format(v),
          })),
        ],
        axes: [{}, { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => format(t)), size: 70 }],
        scales: { y: { range: (_u: uPlot, min: number, max: number) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      },
      [times, ...series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    return () => plot.destroy();
  }, [times, series]);
  const summary = series.map((s) => `${s.label}: ${format(s.values.at(-1) ?? null)}`).join(", ");
  return html`
    <figure class="chart" id=${id}>
      <figcaption>${title}</figcaption>
      <div ref=${target} role="img" aria-label=${`${title}. Latest: ${summary || "no data"}`}></div>
      ${series.length === 0 ? html`<p class="empty">No calls in this range yet.</p>` : null}
    </figure>
  `;
}
