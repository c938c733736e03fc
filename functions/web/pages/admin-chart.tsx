/** One line of a chart: a name for the legend, a colour, and a value per day. */
export interface Series {
  name: string;
  color: string;
  values: number[];
  /** Dashed, so that a line lying on another one still shows. */
  dashed?: boolean;
}

/** A day marked by a vertical line and a label: the deadline, today. */
export interface ChartMarker {
  index: number;
  label: string;
  color: string;
}

/** A round upper bound for the y axis: 1, 2, 5, 10, 20, 50… */
function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((step) => step * magnitude).find((bound) => bound >= value) ?? 10 * magnitude);
}

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 44, right: 24, top: 12, bottom: 56 };

/**
 * A line chart drawn on the server as SVG: no script, no inline style (presentation attributes
 * only), so the page keeps its strict CSP. The numbers are also in a table below each chart.
 */
export function LineChart(props: { title: string; days: readonly string[]; series: readonly Series[]; markers?: readonly ChartMarker[] }) {
  const { days, series } = props;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const top = niceCeiling(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (index: number) => PAD.left + (days.length <= 1 ? plotWidth / 2 : (index * plotWidth) / (days.length - 1));
  const y = (value: number) => PAD.top + plotHeight - (Math.max(0, value) / top) * plotHeight;
  const ticks = [0, top / 2, top];
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      {ticks.map((tick) => (
        <g>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#9ca3af" stroke-width="0.5" />
          <text x={PAD.left - 6} y={y(tick) + 4} text-anchor="end" font-size="11" fill="currentColor">
            {Number.isInteger(tick) ? tick : tick.toFixed(1)}
          </text>
        </g>
      ))}
      {days.map((day, index) =>
        index % labelEvery === 0 || index === days.length - 1 ? (
          <text x={x(index)} y={HEIGHT - PAD.bottom + 16} text-anchor="middle" font-size="11" fill="currentColor">
            {day.slice(5)}
          </text>
        ) : null,
      )}
      {(props.markers ?? []).map((marker) => (
        <g>
          <line x1={x(marker.index).toFixed(1)} x2={x(marker.index).toFixed(1)} y1={PAD.top} y2={PAD.top + plotHeight} stroke={marker.color} stroke-width="1.5" stroke-dasharray="3 3" />
          <text x={x(marker.index).toFixed(1)} y={PAD.top + 10} text-anchor="middle" font-size="11" fill={marker.color}>
            {marker.label}
          </text>
        </g>
      ))}
      {series.map((s) => (
        <g>
          <polyline fill="none" stroke={s.color} stroke-width="2" stroke-dasharray={s.dashed ? '6 4' : undefined} points={s.values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ')} />
          {s.values.map((value, index) => (
            <circle cx={x(index).toFixed(1)} cy={y(value).toFixed(1)} r="2.5" fill={s.color}>
              <title>{`${s.name}, ${days[index] ?? ''}: ${value}`}</title>
            </circle>
          ))}
        </g>
      ))}
      {series.map((s, index) => (
        <g>
          <rect x={PAD.left + index * 120} y={HEIGHT - 22} width="12" height="12" fill={s.color} />
          <text x={PAD.left + index * 120 + 16} y={HEIGHT - 12} font-size="12" fill="currentColor">
            {s.name}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** One bar: a platform, how many picked it and how many of them marked it done. */
export interface BarRow {
  name: string;
  picked: number;
  done: number;
}

/**
 * Horizontal bars under a heading per group (a company): how many of those who picked a platform
 * marked it done, the share as the bar and both numbers beside it.
 */
export function DoneBars(props: { title: string; groups: readonly { name: string; rows: readonly BarRow[] }[] }) {
  const headingHeight = 24;
  const rowHeight = 28;
  // Room for "Microsoft Copilot" at this size.
  const labelWidth = 150;
  const barWidth = WIDTH - labelWidth - 90;
  // Each heading and row takes its place below the one before.
  let top = 4;
  const lines = props.groups.flatMap((group) => {
    const heading = { kind: 'heading' as const, name: group.name, top };
    top += headingHeight;
    const rows = group.rows.map((row) => {
      const line = { kind: 'row' as const, ...row, top };
      top += rowHeight;
      return line;
    });
    return [heading, ...rows];
  });
  const height = Math.max(top + 4, rowHeight);
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      {lines.map((line) => {
        if (line.kind === 'heading') {
          return (
            <text x="0" y={line.top + 16} font-size="13" font-weight="bold" fill="currentColor">
              {line.name}
            </text>
          );
        }
        const share = line.picked > 0 ? Math.min(1, Math.max(0, line.done / line.picked)) : 0;
        return (
          <g>
            <text x="12" y={line.top + 17} font-size="13" fill="currentColor">
              {line.name}
            </text>
            <rect x={labelWidth} y={line.top + 4} width={barWidth} height="18" fill="#d1d5db" />
            <rect x={labelWidth} y={line.top + 4} width={(barWidth * share).toFixed(1)} height="18" fill="#15803d" />
            <text x={labelWidth + barWidth + 8} y={line.top + 17} font-size="13" fill="currentColor">
              {`${line.done} / ${line.picked}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
