import { describe, expect, it } from "vitest";
import { lineChart } from "./line-chart.js";
import { niceDomain } from "./scale.js";

describe("lineChart", () => {
  const svg = lineChart({
    label: "loss",
    yLabel: "loss",
    series: [
      {
        name: "train",
        points: [
          [0, 4],
          [10, 3],
          [20, 2],
          [30, 1.5],
          [40, 1],
        ],
        style: "line",
        className: "series-0",
      },
      {
        name: "eval",
        points: [
          [0, 4.2],
          [40, 1.4],
        ],
        style: "dots",
        className: "series-1",
      },
      { name: "empty", points: [], style: "line", className: "series-2" },
    ],
  });

  it("draws one polyline point per data point, inside the frame, higher values higher up", () => {
    const points = /<polyline class="line series-0" points="([^"]+)"/.exec(svg)![1]!.split(" ");
    expect(points).toHaveLength(5);
    const xy = points.map((p) => p.split(",").map(Number) as [number, number]);
    for (const [x, y] of xy) {
      expect(x).toBeGreaterThanOrEqual(64);
      expect(x).toBeLessThanOrEqual(624);
      expect(y).toBeGreaterThanOrEqual(28);
      expect(y).toBeLessThanOrEqual(218);
    }
    expect(xy[0]![1]).toBeLessThan(xy[4]![1]); // loss 4 above loss 1
    expect(xy.map(([x]) => x)).toEqual([...xy.map(([x]) => x)].sort((a, b) => a - b));
    expect(svg.match(/<circle class="dot series-1"/g)).toHaveLength(2);
    expect(svg).not.toContain("series-2");
  });

  it("has axes with round tick labels", () => {
    expect(svg).toContain('class="axis x-axis"');
    expect(svg).toContain(">step</text>");
    const labels = [...svg.matchAll(/class="tick-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(["0", "10", "20", "30", "40", "1", "2", "3", "4"]));
  });

  it("niceDomain widens to round ticks and survives a flat series", () => {
    expect(niceDomain([0.13, 0.87])).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] });
    expect(niceDomain([2, 2]).ticks.length).toBeGreaterThan(1);
  });
});
