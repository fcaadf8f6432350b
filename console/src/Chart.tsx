import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { todayInShanghai } from './format';
import type { Balances } from './types';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface Series {
  key: keyof Balances;
  name: string;
  color: string;
}

const yuan = (value: number) => `¥${value.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * A program's balances at the end of each day, as steps on a time axis (a balance holds until the next day
 * with entries). ECharts draws numbers, so each yuan string becomes a number here, for the picture only;
 * every figure shown as text comes from the strings themselves.
 */
export default function BalancesChart({ daily, series, label }: { daily: ({ date: string } & Balances)[]; series: Series[]; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    // The last position holds until today: drawn to today, so that a quiet program still shows a line.
    const last = daily.at(-1);
    const today = todayInShanghai();
    const points = last && last.date < today ? [...daily, { ...last, date: today }] : daily;
    chart.setOption({
      animation: false,
      grid: { left: 90, right: 24, top: 40, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => yuan(value) },
      xAxis: { type: 'time', minInterval: 24 * 3600 * 1000, axisLabel: { formatter: '{yyyy}-{MM}-{dd}', hideOverlap: true } },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => yuan(value).replace(/\.00$/, '') } },
      series: series.map((s) => ({
        type: 'line',
        name: s.name,
        step: 'end',
        showSymbol: points.length < 40,
        itemStyle: { color: s.color },
        // Midnight in Shanghai: the day's closing position is drawn from the start of the day.
        data: points.map((day) => [`${day.date}T00:00:00+08:00`, Number(day[s.key])]),
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [daily, series]);
  return <div ref={element} role="img" aria-label={label} style={{ height: 300, width: '100%' }} />;
}
