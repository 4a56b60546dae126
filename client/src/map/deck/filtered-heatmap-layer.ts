import { HeatmapLayer, type HeatmapLayerProps } from '@deck.gl/aggregation-layers';
import type { UpdateParameters } from '@deck.gl/core';
import type { DataFilterExtensionProps } from '@deck.gl/extensions';

/**
 * HeatmapLayer whose weight map honours DataFilterExtension's numeric filter, so the week slider moves a
 * uniform instead of re-uploading a million weights.
 *
 * NOTE: relies on deck.gl 9.4 HeatmapLayer internals. The extension's shader module is merged into the
 * weights transform (AggregationLayer.getShaders) and its `filterValues` attribute lives in the layer's
 * attribute manager, but the extension only sets its uniforms on models it draws, and the weights
 * transform is run, not drawn; and the weight map is rebuilt only when data or the viewport change.
 * So this subclass sets the `dataFilter` uniforms on the weights transform itself and marks the weight
 * map dirty when the filter range changes. Category filters are not supported here (the extension's
 * category keys are assigned in the order it meets them, which binary input bypasses).
 */
export class FilteredHeatmapLayer<D = unknown> extends HeatmapLayer<D, DataFilterExtensionProps> {
  static layerName = 'FilteredHeatmapLayer';

  updateState(opts: UpdateParameters<this>) {
    const { props, oldProps } = opts;
    if (props.filterRange !== oldProps.filterRange || props.filterEnabled !== oldProps.filterEnabled) {
      this.setState({ isWeightMapDirty: true });
    }
    super.updateState(opts);
  }

  _updateWeightmap() {
    const model = (this.state as { weightsTransform?: { model: { shaderInputs: { setProps(p: object): void } } } }).weightsTransform?.model;
    model?.shaderInputs.setProps({
      dataFilter: {
        extensions: this.props.extensions,
        filterEnabled: this.props.filterEnabled,
        filterRange: this.props.filterRange,
        filterTransformSize: false,
        filterTransformColor: false,
      },
    });
    super._updateWeightmap();
  }
}

export type FilteredHeatmapLayerProps<D = unknown> = HeatmapLayerProps<D> & DataFilterExtensionProps;
