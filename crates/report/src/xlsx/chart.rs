//! Charts of one series over cells of the workbook, and the drawing that places them.

use std::fmt::Write as _;

use super::sheet::{Worksheet, range_name};
use super::{escape_attribute, push_plain, quoted_sheet};

/// Bars across (categories down the side) or columns up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartType {
    Bar,
    Column,
}

/// Cells a chart draws from: sheet, first row, first column, last row, last column.
type Cells = (String, u32, u16, u32, u16);

/// A series: its categories and values, each over one or more ranges of cells (a table
/// that repeats its header on every printed page is read around the repeated rows).
#[derive(Debug, Clone, Default)]
pub struct ChartSeries {
    categories: Vec<Cells>,
    values: Vec<Cells>,
}

impl ChartSeries {
    /// A range of categories, after any added before.
    pub fn add_categories(&mut self, (sheet, r1, c1, r2, c2): (&str, u32, u16, u32, u16)) -> &mut Self {
        self.categories.push((sheet.to_owned(), r1, c1, r2, c2));
        self
    }

    /// A range of values, after any added before.
    pub fn add_values(&mut self, (sheet, r1, c1, r2, c2): (&str, u32, u16, u32, u16)) -> &mut Self {
        self.values.push((sheet.to_owned(), r1, c1, r2, c2));
        self
    }
}

/// An axis: its number format, bounds and direction.
#[derive(Debug, Clone, Default)]
pub struct ChartAxis {
    num_format: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    reverse: bool,
}

impl ChartAxis {
    pub fn set_num_format(&mut self, code: &str) -> &mut Self {
        self.num_format = Some(code.to_owned());
        self
    }

    pub fn set_min(&mut self, min: f64) -> &mut Self {
        self.min = Some(min);
        self
    }

    pub fn set_max(&mut self, max: f64) -> &mut Self {
        self.max = Some(max);
        self
    }

    /// Categories (or values) run from the far end: bars read top-down.
    pub fn set_reverse(&mut self) -> &mut Self {
        self.reverse = true;
        self
    }
}

/// A chart's title.
#[derive(Debug, Clone, Default)]
pub struct ChartTitle {
    name: Option<String>,
}

impl ChartTitle {
    pub fn set_name(&mut self, name: &str) -> &mut Self {
        self.name = Some(name.to_owned());
        self
    }
}

/// A chart's legend, shown unless hidden.
#[derive(Debug, Clone, Default)]
pub struct ChartLegend {
    hidden: bool,
}

impl ChartLegend {
    pub fn set_hidden(&mut self) -> &mut Self {
        self.hidden = true;
        self
    }
}

/// A chart.
#[derive(Debug, Clone)]
pub struct Chart {
    kind: ChartType,
    series: Vec<ChartSeries>,
    title: ChartTitle,
    legend: ChartLegend,
    category_axis: ChartAxis,
    value_axis: ChartAxis,
    /// Pixels.
    width: u32,
    height: u32,
}

impl Chart {
    pub fn new(kind: ChartType) -> Self {
        Self {
            kind,
            series: Vec::new(),
            title: ChartTitle::default(),
            legend: ChartLegend::default(),
            category_axis: ChartAxis::default(),
            value_axis: ChartAxis::default(),
            width: 480,
            height: 288,
        }
    }

    pub fn add_series(&mut self) -> &mut ChartSeries {
        self.series.push(ChartSeries::default());
        self.series.last_mut().expect("just added")
    }

    pub fn title(&mut self) -> &mut ChartTitle {
        &mut self.title
    }

    pub fn legend(&mut self) -> &mut ChartLegend {
        &mut self.legend
    }

    /// The horizontal axis: the values' of bars, the categories' of columns.
    pub fn x_axis(&mut self) -> &mut ChartAxis {
        if self.kind == ChartType::Bar { &mut self.value_axis } else { &mut self.category_axis }
    }

    /// The vertical axis: the categories' of bars, the values' of columns.
    pub fn y_axis(&mut self) -> &mut ChartAxis {
        if self.kind == ChartType::Bar { &mut self.category_axis } else { &mut self.value_axis }
    }

    pub fn set_width(&mut self, pixels: u32) -> &mut Self {
        self.width = pixels;
        self
    }

    pub fn set_height(&mut self, pixels: u32) -> &mut Self {
        self.height = pixels;
        self
    }

    /// `xl/charts/chartN.xml`, `number` counting the workbook's charts from 1.
    pub(super) fn xml(&self, number: usize) -> String {
        let (category_id, value_id) = (50_000_000 + 10_000 * number + 1, 50_000_000 + 10_000 * number + 2);
        let mut x = String::from(super::XML_DECLARATION);
        x.push_str(concat!(
            r#"<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" "#,
            r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:lang val="en-US"/><c:chart>"#
        ));
        if let Some(title) = &self.title.name {
            x.push_str(r#"<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:rPr lang="en-US"/><a:t>"#);
            push_plain(&mut x, title);
            x.push_str("</a:t></a:r></a:p></c:rich></c:tx><c:layout/></c:title>");
        }
        let direction = if self.kind == ChartType::Bar { "bar" } else { "col" };
        let _ = write!(
            x,
            r#"<c:plotArea><c:layout/><c:barChart><c:barDir val="{direction}"/><c:grouping val="clustered"/>"#
        );
        for (k, s) in self.series.iter().enumerate() {
            let _ = write!(x, r#"<c:ser><c:idx val="{k}"/><c:order val="{k}"/>"#);
            if !s.categories.is_empty() {
                let _ = write!(x, "<c:cat><c:strRef><c:f>{}</c:f></c:strRef></c:cat>", reference(&s.categories));
            }
            if !s.values.is_empty() {
                let _ = write!(x, "<c:val><c:numRef><c:f>{}</c:f></c:numRef></c:val>", reference(&s.values));
            }
            x.push_str("</c:ser>");
        }
        let _ = write!(x, r#"<c:axId val="{category_id}"/><c:axId val="{value_id}"/></c:barChart>"#);
        let (category_position, value_position) = if self.kind == ChartType::Bar { ("l", "b") } else { ("b", "l") };
        // A reversed category axis moves the value axis to the far side: "t" for bars.
        let value_position =
            if self.category_axis.reverse && self.kind == ChartType::Bar { "t" } else { value_position };
        let _ = write!(x, r#"<c:catAx><c:axId val="{category_id}"/>{}"#, scaling(&self.category_axis));
        let _ = write!(
            x,
            concat!(
                r#"<c:axPos val="{}"/><c:tickLblPos val="nextTo"/><c:crossAx val="{}"/><c:crosses val="autoZero"/>"#,
                r#"<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>"#
            ),
            category_position, value_id
        );
        let _ = write!(
            x,
            r#"<c:valAx><c:axId val="{value_id}"/>{}<c:axPos val="{value_position}"/><c:majorGridlines/>"#,
            scaling(&self.value_axis)
        );
        if let Some(code) = &self.value_axis.num_format {
            let _ = write!(x, r#"<c:numFmt formatCode="{}" sourceLinked="0"/>"#, escape_attribute(code));
        }
        let _ = write!(
            x,
            r#"<c:tickLblPos val="nextTo"/><c:crossAx val="{category_id}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea>"#
        );
        if !self.legend.hidden {
            x.push_str(r#"<c:legend><c:legendPos val="r"/><c:layout/></c:legend>"#);
        }
        x.push_str(concat!(
            r#"<c:plotVisOnly val="1"/></c:chart><c:printSettings><c:headerFooter/>"#,
            r#"<c:pageMargins b="0.75" l="0.7" r="0.7" t="0.75" header="0.3" footer="0.3"/><c:pageSetup/></c:printSettings></c:chartSpace>"#
        ));
        x
    }
}

fn scaling(axis: &ChartAxis) -> String {
    let mut x = String::from("<c:scaling>");
    let orientation = if axis.reverse { "maxMin" } else { "minMax" };
    let _ = write!(x, r#"<c:orientation val="{orientation}"/>"#);
    if let Some(max) = axis.max {
        let _ = write!(x, r#"<c:max val="{max}"/>"#);
    }
    if let Some(min) = axis.min {
        let _ = write!(x, r#"<c:min val="{min}"/>"#);
    }
    x.push_str("</c:scaling>");
    x
}

/// `'Sheet'!$A$1:$A$5`, or the union of several ranges as Excel writes it:
/// `('Sheet'!$A$1:$A$5,'Sheet'!$A$8:$A$9)`.
fn reference(areas: &[Cells]) -> String {
    match areas {
        [one] => area(one),
        _ => format!("({})", areas.iter().map(area).collect::<Vec<_>>().join(",")),
    }
}

fn area((sheet, r1, c1, r2, c2): &Cells) -> String {
    let absolute = range_name((*r1, *c1, *r2, *c2))
        .split(':')
        .map(|cell| {
            let split = cell.find(|c: char| c.is_ascii_digit()).unwrap_or(cell.len());
            format!("${}${}", &cell[..split], &cell[split..])
        })
        .collect::<Vec<_>>()
        .join(":");
    let mut x = String::new();
    push_plain(&mut x, &format!("{}!{absolute}", quoted_sheet(sheet)));
    x
}

/// `xl/drawings/drawingN.xml` for the charts of `sheet`, the k-th pointing at the
/// drawing's relationship `rId{k+1}`: each anchored from its cell to the cell its size
/// in pixels reaches over the sheet's columns and rows.
pub(super) fn drawing_xml(sheet: &Worksheet) -> String {
    const EMU_PER_PIXEL: u64 = 9525;
    let mut x = String::from(super::XML_DECLARATION);
    x.push_str(concat!(
        r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" "#,
        r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">"#
    ));
    for (k, (row, col, chart)) in sheet.charts.iter().enumerate() {
        let (mut to_col, mut col_off) = (*col, chart.width);
        while col_off >= sheet.column_pixels(to_col) && to_col < 16_383 {
            col_off -= sheet.column_pixels(to_col);
            to_col += 1;
        }
        let (mut to_row, mut row_off) = (*row, chart.height);
        while row_off >= sheet.row_pixels(to_row) && to_row < 1_048_575 {
            row_off -= sheet.row_pixels(to_row);
            to_row += 1;
        }
        let _ = write!(
            x,
            concat!(
                "<xdr:twoCellAnchor><xdr:from><xdr:col>{}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>",
                "<xdr:to><xdr:col>{}</xdr:col><xdr:colOff>{}</xdr:colOff><xdr:row>{}</xdr:row><xdr:rowOff>{}</xdr:rowOff></xdr:to>",
                r#"<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{}" name="Chart {}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"#,
                r#"<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">"#,
                r#"<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId{}"/>"#,
                "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
            ),
            col,
            row,
            to_col,
            u64::from(col_off) * EMU_PER_PIXEL,
            to_row,
            u64::from(row_off) * EMU_PER_PIXEL,
            k + 2,
            k + 1,
            k + 1
        );
    }
    x.push_str("</xdr:wsDr>");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_of_bars_reads_top_down_with_its_values_on_top() {
        let mut chart = Chart::new(ChartType::Bar);
        chart.add_series().add_categories(("Theo đơn vị", 60, 2, 83, 2)).add_values(("Theo đơn vị", 60, 6, 83, 6));
        chart.title().set_name("Tỷ lệ & số");
        chart.x_axis().set_num_format("0%").set_min(0.0).set_max(1.0);
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        let xml = chart.xml(2);
        assert!(xml.contains("<c:f>'Theo đơn vị'!$C$61:$C$84</c:f>"), "{xml}");
        assert!(xml.contains("<c:f>'Theo đơn vị'!$G$61:$G$84</c:f>"), "{xml}");
        assert!(xml.contains(r#"<c:barDir val="bar"/>"#));
        assert!(xml.contains(r#"<c:catAx><c:axId val="50020001"/><c:scaling><c:orientation val="maxMin"/>"#), "{xml}");
        assert!(xml.contains(r#"<c:max val="1"/><c:min val="0"/></c:scaling><c:axPos val="t"/>"#), "{xml}");
        assert!(xml.contains("Tỷ lệ &amp; số"));
        assert!(!xml.contains("<c:legend>"));
    }

    #[test]
    fn a_series_over_several_ranges_is_their_union() {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .add_categories(("Theo đơn vị", 8, 2, 20, 2))
            .add_values(("Theo đơn vị", 8, 6, 20, 6))
            .add_categories(("Theo đơn vị", 23, 2, 30, 2))
            .add_values(("Theo đơn vị", 23, 6, 30, 6));
        let xml = chart.xml(1);
        assert!(xml.contains("<c:f>('Theo đơn vị'!$C$9:$C$21,'Theo đơn vị'!$C$24:$C$31)</c:f>"), "{xml}");
        assert!(xml.contains("<c:f>('Theo đơn vị'!$G$9:$G$21,'Theo đơn vị'!$G$24:$G$31)</c:f>"), "{xml}");
    }

    #[test]
    fn a_chart_is_anchored_where_its_pixels_end() {
        let mut sheet = Worksheet::new("A".into());
        for (col, width) in [(1, 37.0), (2, 10.0), (3, 10.0), (4, 9.0), (5, 9.0), (6, 10.0), (7, 8.0), (8, 21.0)] {
            sheet.set_column_width(col, width).unwrap();
        }
        let mut chart = Chart::new(ChartType::Column);
        chart.set_width(800).set_height(380);
        sheet.insert_chart(56, 1, &chart).unwrap();
        let xml = drawing_xml(&sheet);
        // Columns B–H are 686 pixels; the rest, 114, into I. Rows of 20 pixels: 19 of them.
        assert!(
            xml.contains("<xdr:to><xdr:col>8</xdr:col><xdr:colOff>1085850</xdr:colOff><xdr:row>75</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"),
            "{xml}"
        );
    }
}
