/* 统计分析: hands each chart's figures (the JSON beside it, the same as the table under it) to Apache ECharts, which
   draws them. Served from here with echarts.min.js (tools/ensure-echarts.sh): no CDN, no inline script. */
"use strict";
(function () {
  if (typeof echarts === "undefined") {
    return; // ECharts not installed: the tables under each chart still carry every figure.
  }
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var data = JSON.parse(document.getElementById(element.getAttribute("data-chart")).textContent);
    var chart = echarts.init(element, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 70, right: 80, top: 40, bottom: 60, containLabel: false },
      xAxis: { type: "category", data: data.categories, axisLabel: { hideOverlap: true } },
      yAxis: data.axes.map(function (name, i) {
        return { type: "value", name: name, position: i === 0 ? "left" : "right", splitLine: { show: i === 0 } };
      }),
      series: data.series.map(function (s) {
        return { name: s.name, type: data.kind, data: s.values, yAxisIndex: s.axis, connectNulls: false };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
