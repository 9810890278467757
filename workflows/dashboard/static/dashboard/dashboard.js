/* The dashboard's charts: ECharts draws the figures the page embeds as JSON.
   The numbers themselves are also in the tables under each chart; this only draws. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function percent(value) {
    return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%";
  }

  var builders = {
    on_time: function (d) {
      var lines = d.series.map(function (s) {
        return { name: s.name, type: "line", data: s.rate, connectNulls: false };
      });
      lines.push({
        name: labels.target, type: "line", symbol: "none",
        lineStyle: { type: "dashed", width: 2 },
        data: d.weeks.map(function () { return d.target; })
      });
      return {
        tooltip: { trigger: "axis", valueFormatter: percent },
        legend: { type: "scroll", top: 0 },
        grid: { left: 56, right: 24, top: 44, bottom: 32 },
        xAxis: { type: "category", data: d.weeks.map(function (w) { return w.slice(5); }) },
        yAxis: {
          type: "value", min: 0, max: 1,
          axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } }
        },
        series: lines
      };
    },
    overdue: function (d) {
      var centers = d.rows.map(function (r) { return r.name; });
      var series = d.departments.map(function (dep, j) {
        return {
          name: dep.name, type: "bar", stack: "overdue", cursor: "pointer",
          data: d.rows.map(function (r) {
            return { value: r.cells[j].overdue, url: r.cells[j].overdue_url };
          })
        };
      });
      series.push({
        name: labels.due_soon, type: "bar", cursor: "pointer",
        itemStyle: { color: "#e0a800" },
        data: d.rows.map(function (r) { return { value: r.due_soon, url: r.due_soon_url }; })
      });
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { type: "scroll", top: 0 },
        grid: { left: 8, right: 24, top: 44, bottom: 24, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: centers },
        series: series
      };
    },
    decision_days: function (d) {
      return {
        tooltip: { trigger: "item" },
        legend: { top: 0, data: [labels.days, labels.promised] },
        grid: { left: 8, right: 24, top: 44, bottom: 24, containLabel: true },
        xAxis: { type: "value", name: labels.days, minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: d.items.map(function (i) { return i.name; }) },
        series: [
          { name: labels.days, type: "boxplot", data: d.items.map(function (i) { return i.box; }) },
          {
            name: labels.promised, type: "scatter", symbol: "diamond", symbolSize: 12,
            itemStyle: { color: "#c0392b" },
            data: d.items.map(function (i, k) { return i.promised === null ? null : [i.promised, k]; })
          }
        ]
      };
    }
  };

  builders.ratings = function (d) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: [labels.good_rate, labels.open_rectifications] },
      grid: { left: 8, right: 24, top: 64, bottom: 24, containLabel: true },
      xAxis: [
        { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
        { type: "value", minInterval: 1, position: "top" }
      ],
      yAxis: { type: "category", inverse: true, data: d.rows.map(function (r) { return r.name; }) },
      series: [
        { name: labels.good_rate, type: "bar", xAxisIndex: 0, data: d.rows.map(function (r) { return r.good_rate; }) },
        { name: labels.open_rectifications, type: "bar", xAxisIndex: 1, itemStyle: { color: "#c0392b" },
          data: d.rows.map(function (r) { return r.open_rectifications; }) }
      ]
    };
  };
  builders.hall = function (d) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.wait] },
      grid: { left: 56, right: 24, top: 44, bottom: 32 },
      xAxis: { type: "category", data: d.hours },
      yAxis: { type: "value", name: labels.minutes, minInterval: 1 },
      series: [{ name: labels.wait, type: "line", data: d.wait_by_hour }]
    };
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    var figures = data[kind];
    if (!figures || !builders[kind]) { return; }
    var rows = kind === "overdue" || kind === "ratings" ? figures.rows.length : kind === "decision_days" ? figures.items.length : 0;
    var dark = el.getAttribute("data-theme") === "dark";
    if (rows && !dark) { el.style.height = Math.max(240, 80 + rows * 30) + "px"; }
    var chart = echarts.init(el, el.getAttribute("data-theme"), { renderer: "svg" });
    var option = builders[kind](figures);
    option.textStyle = { fontFamily: FONT };
    option.animation = false;
    if (dark) { option.backgroundColor = "transparent"; }
    chart.setOption(option);
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.assign(params.data.url); }
    });
    charts.push(chart);
  });
  function resize() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
