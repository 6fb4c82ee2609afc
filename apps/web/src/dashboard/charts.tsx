// Charts drawn as inline SVG (no chart library). Each chart is an image with a text summary;
// its numbers are always in a table beside it.
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDate, formatNumber, type Locale } from '../format.js';

/** The width available to a chart, followed as the layout changes. */
export function useWidth<T extends HTMLElement>(fallback = 560): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.floor(el.getBoundingClientRect().width)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Round tick values for an axis from 0 to at least max. */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const stepInt = Math.max(1, Math.ceil(step));
  const ticks: number[] = [];
  for (let v = 0; v < max + stepInt; v += stepInt) {
    ticks.push(v);
    if (v >= max) break;
  }
  return ticks;
}

export interface Series {
  key: string;
  label: string;
  color: string;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function plotFrame(width: number, height: number, maxValue: number, locale: Locale): Frame {
  const label = formatNumber(maxValue, locale);
  return { width, height, left: 14 + label.length * 7.5, right: 12, top: 12, bottom: 28 };
}

function YAxis({ frame, ticks, y, locale }: { frame: Frame; ticks: number[]; y: (v: number) => number; locale: Locale }) {
  return (
    <g class="axis">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={frame.left} x2={frame.width - frame.right} y1={y(t)} y2={y(t)} class={t === 0 ? 'axis-base' : 'gridline'} />
          <text x={frame.left - 6} y={y(t)} dy="0.32em" text-anchor="end">
            {formatNumber(t, locale)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Which x positions get a date label: the first, the last, and evenly spaced ones that fit. */
function labelIndexes(n: number, width: number): number[] {
  if (n === 0) return [];
  const fit = Math.max(2, Math.floor(width / 90));
  if (n <= fit) return [...Array(n).keys()];
  const step = (n - 1) / (fit - 1);
  return [...new Set(Array.from({ length: fit }, (_, i) => Math.round(i * step)))];
}

export interface TimePoint {
  day: string;
  values: Record<string, number>;
}

export interface TimeChartProps {
  points: readonly TimePoint[];
  series: readonly Series[];
  kind: 'area' | 'bars';
  locale: Locale;
  label: string;
  height?: number;
  /** Labels for the tooltip of a point (e.g. "week to 3 Feb"). */
  pointLabel?: (p: TimePoint, i: number) => string;
}

/** Stacked areas or stacked bars over days. */
export function TimeChart({ points, series, kind, locale, label, height = 240, pointLabel }: TimeChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const totals = points.map((p) => series.reduce((s, k) => s + (p.values[k.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1]!;
  const frame = plotFrame(width, height, top, locale);
  const plotW = frame.width - frame.left - frame.right;
  const plotH = frame.height - frame.top - frame.bottom;
  const y = (v: number) => frame.top + plotH - (v / top) * plotH;
  const n = points.length;
  const band = n > 0 ? plotW / n : plotW;
  const x = (i: number) => (kind === 'bars' ? frame.left + band * i + band / 2 : frame.left + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1)));
  const labels = labelIndexes(n, plotW);
  const describe = (p: TimePoint, i: number) =>
    `${pointLabel ? pointLabel(p, i) : formatDate(p.day, locale)}: ${series.map((s) => `${s.label} ${formatNumber(p.values[s.key] ?? 0, locale)}`).join(', ')}`;

  const layers: ComponentChildren[] = [];
  if (kind === 'area') {
    const base = points.map(() => 0);
    for (const s of series) {
      const lower = [...base];
      points.forEach((p, i) => (base[i]! += p.values[s.key] ?? 0));
      const upperPath = points.map((_, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(base[i]!).toFixed(1)}`).join('');
      const lowerPath = points
        .map((_, i) => n - 1 - i)
        .map((j) => `L${x(j).toFixed(1)},${y(lower[j]!).toFixed(1)}`)
        .join('');
      layers.push(
        <g key={s.key}>
          <path d={`${upperPath}${lowerPath}Z`} fill={s.color} fill-opacity="0.22" />
          <path d={upperPath} fill="none" stroke={s.color} stroke-width="2" stroke-linejoin="round" />
        </g>,
      );
    }
  } else {
    const barW = Math.max(1, Math.min(28, band * 0.72));
    points.forEach((p, i) => {
      let acc = 0;
      for (const s of series) {
        const v = p.values[s.key] ?? 0;
        if (v > 0) {
          layers.push(<rect key={`${s.key}-${i}`} x={x(i) - barW / 2} width={barW} y={y(acc + v)} height={Math.max(0, y(acc) - y(acc + v))} fill={s.color} />);
        }
        acc += v;
      }
    });
  }

  return (
    <div ref={ref} class="chart">
      <svg width={width} height={height} role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`}>
        <YAxis frame={frame} ticks={ticks} y={y} locale={locale} />
        {layers}
        <g class="axis">
          {labels.map((i) => (
            <text key={i} x={Math.min(Math.max(x(i), frame.left + 24), frame.width - frame.right - 24)} y={frame.height - 8} text-anchor="middle">
              {formatDate(points[i]!.day, locale, 'short')}
            </text>
          ))}
        </g>
        {/* One invisible column per point carries its numbers as a tooltip. */}
        {points.map((p, i) => (
          <rect key={`hit-${i}`} class="hit" x={x(i) - band / 2} width={band} y={frame.top} height={plotH}>
            <title>{describe(p, i)}</title>
          </rect>
        ))}
      </svg>
    </div>
  );
}

export interface BarRow {
  label: string;
  /** A second, smaller line under the label (a date). */
  sublabel?: string;
  values: Record<string, number>;
  /** Shown after the bar instead of the total. */
  note?: string;
}

/** Shortens a label to what fits in a width (about 6.3 px a character at the chart's type size). */
function fit(label: string, width: number): string {
  const max = Math.max(6, Math.floor((width - 12) / 6.3));
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export interface HBarChartProps {
  rows: readonly BarRow[];
  series: readonly Series[];
  locale: Locale;
  label: string;
  /** Bars side by side (compare) or stacked (parts of a whole). */
  mode?: 'stacked' | 'grouped';
}

/** Horizontal bars, one row per category: long labels stay readable. */
export function HBarChart({ rows, series, locale, label, mode = 'stacked' }: HBarChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const labelW = Math.min(190, Math.max(90, Math.floor(width * 0.34)));
  const hasNotes = rows.some((r) => r.note);
  // Grouped bars carry their values at their ends and the row's note at the right edge: keep room for both.
  const valueW = mode === 'grouped' ? (hasNotes ? 130 : 56) : 64;
  const rowH = mode === 'grouped' ? 14 * series.length + 14 : 26;
  const height = rows.length * rowH + 8;
  const plotW = Math.max(40, width - labelW - valueW - 8);
  const totals = rows.map((r) => (mode === 'stacked' ? series.reduce((s, k) => s + (r.values[k.key] ?? 0), 0) : Math.max(...series.map((k) => r.values[k.key] ?? 0))));
  const max = Math.max(1, ...totals);
  const w = (v: number) => (v / max) * plotW;
  return (
    <div ref={ref} class="chart">
      <svg width={width} height={height} role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`}>
        {rows.map((r, i) => {
          const y0 = 4 + i * rowH;
          const bars: ComponentChildren[] = [];
          if (mode === 'stacked') {
            let acc = 0;
            for (const s of series) {
              const v = r.values[s.key] ?? 0;
              if (v > 0) bars.push(<rect key={s.key} x={labelW + w(acc)} y={y0 + 4} width={Math.max(1, w(v))} height={rowH - 10} rx="2" fill={s.color} />);
              acc += v;
            }
          } else {
            series.forEach((s, k) => {
              const v = r.values[s.key] ?? 0;
              bars.push(<rect key={s.key} x={labelW} y={y0 + 4 + k * 14} width={Math.max(v > 0 ? 1 : 0, w(v))} height={11} rx="2" fill={s.color} />);
              bars.push(
                <text key={`${s.key}-v`} x={labelW + w(v) + 5} y={y0 + 4 + k * 14 + 5.5} dy="0.35em" class="bar-value">
                  {formatNumber(v, locale)}
                </text>,
              );
            });
          }
          return (
            <g key={i}>
              <title>{`${r.label}: ${series.map((s) => `${s.label} ${formatNumber(r.values[s.key] ?? 0, locale)}`).join(', ')}`}</title>
              <text x={labelW - 8} y={y0 + rowH / 2} dy={r.sublabel ? '-0.2em' : '0.35em'} text-anchor="end" class="bar-label">
                {fit(r.label, labelW)}
              </text>
              {r.sublabel ? (
                <text x={labelW - 8} y={y0 + rowH / 2} dy="1.05em" text-anchor="end" class="bar-sublabel">
                  {r.sublabel}
                </text>
              ) : null}
              {bars}
              {mode === 'stacked' ? (
                <text x={labelW + w(totals[i]!) + 6} y={y0 + rowH / 2} dy="0.35em" class="bar-value">
                  {r.note ?? formatNumber(totals[i]!, locale)}
                </text>
              ) : r.note ? (
                <text x={width - 4} y={y0 + rowH / 2} dy="0.35em" text-anchor="end" class="bar-note">
                  {r.note}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

export interface Part {
  key: string;
  label: string;
  value: number;
  color: string;
}

/** One bar split into the parts of a whole (women/men, civilians/military...), with a legend. */
export function SplitBar({ parts, locale, label }: { parts: readonly Part[]; locale: Locale; label: string }) {
  const total = parts.reduce((s, p) => s + p.value, 0);
  const pct = (v: number) => (total === 0 ? 0 : (v / total) * 100);
  let acc = 0;
  return (
    <div class="split">
      <svg class="split-bar" width="100%" height="14" viewBox="0 0 100 14" preserveAspectRatio="none" role="img" aria-label={label}>
        {total === 0 ? <rect x="0" y="0" width="100" height="14" fill="#e4e1d8" /> : null}
        {parts.map((p) => {
          const x = acc;
          acc += pct(p.value);
          return p.value > 0 ? <rect key={p.key} x={x} y="0" width={pct(p.value)} height="14" fill={p.color} /> : null;
        })}
      </svg>
      <ul class="legend">
        {parts.map((p) => (
          <li key={p.key}>
            <span class="swatch" style={{ background: p.color }} aria-hidden="true" />
            {p.label} <strong>{formatNumber(p.value, locale)}</strong> <span class="muted">({Math.round(pct(p.value))} %)</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Legend({ series }: { series: readonly Series[] }) {
  return (
    <ul class="legend">
      {series.map((s) => (
        <li key={s.key}>
          <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  );
}
